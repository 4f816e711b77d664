using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Cordon.Runner.Native;

/// <summary>lchown(2), which .NET has no API for: the runner takes installed packages back from a sandbox's uid.</summary>
internal static partial class FileOwnership
{
    /// <summary>Sets owner and group of <paramref name="path"/> itself (a symbolic link is not followed).</summary>
    public static void Change(string path, int uid, int gid)
    {
        if (lchown(path, uid, gid) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"lchown {path}");
        }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int lchown(string path, int owner, int group);
}
