using System.Runtime.InteropServices;

namespace Cordon.Init.Tests;

/// <summary>
/// Another process's open-files limit, set from outside (prlimit): a test makes the agent meet EMFILE the way a
/// job that fills the sandbox's fd table would make it, then gives the fds back.
/// </summary>
internal static unsafe partial class FdLimit
{
    private const int RlimitNofile = 7;

    /// <summary>The lowest fd number the process does not hold: a limit there makes its next open fail.</summary>
    public static int LowestFreeFd(int pid)
    {
        var open = Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Select(path => int.Parse(Path.GetFileName(path), System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        var fd = 0;
        while (open.Contains(fd))
        {
            fd++;
        }

        return fd;
    }

    /// <summary>Sets the soft limit, returning the previous one.</summary>
    public static ulong SetSoft(int pid, ulong soft)
    {
        Limit old;
        if (prlimit(pid, RlimitNofile, null, &old) != 0)
        {
            throw new IOException($"prlimit {pid}: errno {Marshal.GetLastPInvokeError()}");
        }

        var next = old with { Soft = soft };
        if (prlimit(pid, RlimitNofile, &next, null) != 0)
        {
            throw new IOException($"prlimit {pid}: errno {Marshal.GetLastPInvokeError()}");
        }

        return old.Soft;
    }

    [StructLayout(LayoutKind.Sequential)]
    private record struct Limit(ulong Soft, ulong Hard);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int prlimit(int pid, int resource, Limit* newLimit, Limit* oldLimit);
}
