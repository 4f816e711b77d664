using System.Runtime.InteropServices;
using System.Text;

namespace Cordon.Init.Native;

/// <summary>
/// <c>openat2</c> with <c>RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS</c> and friends: every lookup stays under the
/// directory fd it starts from, whatever symbolic links the sandboxed program planted.
/// </summary>
internal static unsafe class Confined
{
    public const ulong ORdOnly = 0;
    public const ulong OWrOnly = 1;
    public const ulong OCreat = 0x40;
    public const ulong OTrunc = 0x200;
    public const ulong ODirectory = 0x10000;
    public const ulong ONoFollow = 0x20000;
    public const ulong OCloexec = 0x80000;
    public const ulong OPath = 0x200000;

    public const int AtRemoveDir = 0x200;
    public const int AtSymlinkNoFollow = 0x100;
    public const int AtEmptyPath = 0x1000;

    private const nint SysOpenat2 = 437;
    private const ulong ResolveNoMagicLinks = 0x02;
    private const ulong ResolveBeneath = 0x08;

    /// <summary>Returns an fd, or a negative errno.</summary>
    public static int Open(int directoryFd, string path, ulong flags, ulong mode = 0)
    {
        var how = stackalloc ulong[3];
        how[0] = flags | OCloexec;
        how[1] = mode;
        how[2] = ResolveBeneath | ResolveNoMagicLinks;
        fixed (byte* p = Utf8(path))
        {
            var fd = (int)Libc.syscall(SysOpenat2, directoryFd, (nint)p, (nint)how, 24);
            return fd >= 0 ? fd : -Marshal.GetLastPInvokeError();
        }
    }

    /// <summary>Opens the workspace itself (an absolute path the agent was given); an fd or a negative errno.</summary>
    public static int OpenRoot(string path)
    {
        fixed (byte* p = Utf8(path))
        {
            var fd = Libc.open(p, (int)(OPath | ODirectory | OCloexec));
            return fd >= 0 ? fd : -Marshal.GetLastPInvokeError();
        }
    }

    /// <summary>0 or a negative errno.</summary>
    public static int MakeDirectory(int directoryFd, string name, int mode)
    {
        fixed (byte* p = Utf8(name))
        {
            return Libc.mkdirat(directoryFd, p, mode) == 0 ? 0 : -Marshal.GetLastPInvokeError();
        }
    }

    /// <summary>0 or a negative errno.</summary>
    public static int Unlink(int directoryFd, string name, int flags)
    {
        fixed (byte* p = Utf8(name))
        {
            return Libc.unlinkat(directoryFd, p, flags) == 0 ? 0 : -Marshal.GetLastPInvokeError();
        }
    }

    /// <summary><c>statx</c> without following a final symbolic link; null with errno when it fails.</summary>
    public static FileStat? Stat(int directoryFd, string name, int flags, out int errno)
    {
        var buffer = stackalloc byte[256];
        fixed (byte* p = Utf8(name))
        {
            if (Libc.statx(directoryFd, p, flags | AtSymlinkNoFollow, 0x7ff, buffer) != 0)
            {
                errno = Marshal.GetLastPInvokeError();
                return null;
            }
        }

        errno = 0;
        var mode = *(ushort*)(buffer + 28);
        var size = *(long*)(buffer + 40);
        var mtimeSeconds = *(long*)(buffer + 112);
        var mtimeNanos = *(uint*)(buffer + 120);
        return new FileStat(mode, size, (mtimeSeconds * 1000) + (mtimeNanos / 1_000_000));
    }

    /// <summary>The names in a directory (not <c>.</c> or <c>..</c>); the fd stays open and owned by the caller.</summary>
    public static List<string> ReadNames(int directoryFd)
    {
        var names = new List<string>();
        var dup = Libc.fcntl(directoryFd, Libc.FDupfdCloexec, 0);
        var directory = dup < 0 ? 0 : Libc.fdopendir(dup);
        if (directory == 0)
        {
            if (dup >= 0)
            {
                Libc.close(dup);
            }

            return names;
        }

        try
        {
            byte* entry;
            while ((entry = Libc.readdir(directory)) != null)
            {
                // struct dirent on 64-bit glibc: ino (8), off (8), reclen (2), type (1), then the name.
                var name = Marshal.PtrToStringUTF8((nint)(entry + 19));
                if (name is not (null or "." or ".."))
                {
                    names.Add(name);
                }
            }
        }
        finally
        {
            Libc.closedir(directory);
        }

        return names;
    }

    private static byte[] Utf8(string value) => Encoding.UTF8.GetBytes(value + "\0");
}
