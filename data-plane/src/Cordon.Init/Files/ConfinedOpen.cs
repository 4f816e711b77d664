using System.Runtime.InteropServices;
using System.Text;
using Cordon.Init.Native;
using Microsoft.Win32.SafeHandles;

namespace Cordon.Init.Files;

/// <summary>
/// openat2(2) with RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV from the workspace directory: the
/// kernel refuses any resolution — symlinks included — that would leave it.
/// </summary>
internal static unsafe class ConfinedOpen
{
    private const long SysOpenat2 = 437;
    private const ulong ResolveNoXdev = 0x01;
    private const ulong ResolveNoMagiclinks = 0x02;
    private const ulong ResolveBeneath = 0x08;

    /// <summary>Opens <paramref name="relative"/> under <paramref name="rootFd"/>; returns the fd or -errno.</summary>
    public static int Open(int rootFd, string relative, int flags, uint mode = 0)
    {
        var how = new OpenHow { Flags = (ulong)(flags | Libc.O_CLOEXEC), Mode = mode, Resolve = ResolveBeneath | ResolveNoMagiclinks | ResolveNoXdev };
        var bytes = Encoding.UTF8.GetBytes((relative.Length == 0 ? "." : relative) + "\0");
        fixed (byte* path = bytes)
        {
            while (true)
            {
                var fd = Libc.syscall(SysOpenat2, rootFd, (long)path, (long)&how, sizeof(OpenHow));
                if (fd >= 0)
                {
                    return (int)fd;
                }

                var errno = Libc.Errno;
                if (errno != Libc.EINTR && errno != Libc.EAGAIN)
                {
                    return -errno;
                }
            }
        }
    }

    /// <summary>Wraps an fd from <see cref="Open"/> in a handle .NET I/O can use.</summary>
    public static SafeFileHandle Handle(int fd) => new(fd, ownsHandle: true);

    /// <summary>The error for a negative result of <see cref="Open"/>.</summary>
    public static Exception Failure(int result, string path) => -result switch
    {
        Libc.EXDEV or Libc.ELOOP => new WorkspacePathException($"'{path}' leads outside /workspace"),
        Libc.ENOENT => new FileNotFoundException($"'{path}' does not exist"),
        Libc.ENOTDIR => new WorkspacePathException($"a parent of '{path}' is not a directory"),
        Libc.EISDIR => new WorkspacePathException($"'{path}' is a directory"),
        Libc.ENOSPC => new IOException("the workspace is full (ENOSPC)"),
        _ => new IOException($"'{path}': {Marshal.GetPInvokeErrorMessage(-result)}"),
    };

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }
}
