using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Cordon.Runner.Native;

/// <summary>Host-side mounts the runner makes itself (the small tmpfs that carries each sandbox's agent socket).</summary>
internal static partial class HostMounts
{
    private const ulong MsNosuid = 2;
    private const ulong MsNodev = 4;
    private const ulong MsNoexec = 8;
    private const int MntDetach = 2;
    private const int EINVAL = 22;
    private const int ENOENT = 2;

    public static void MountTmpfs(string target, string options)
    {
        if (mount("tmpfs", target, "tmpfs", MsNosuid | MsNodev | MsNoexec, options) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"mount tmpfs on {target}");
        }
    }

    /// <summary>Lazily unmounts; a path that is not a mount point is fine.</summary>
    public static void Unmount(string target)
    {
        if (umount2(target, MntDetach) != 0 && Marshal.GetLastPInvokeError() is not (EINVAL or ENOENT))
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"umount {target}");
        }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mount(string source, string target, string type, ulong flags, string data);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int umount2(string target, int flags);
}
