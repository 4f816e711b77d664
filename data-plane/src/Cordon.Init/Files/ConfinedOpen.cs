using System.Runtime.InteropServices;
using System.Text;
using Cordon.Init.Native;
using Microsoft.Win32.SafeHandles;

namespace Cordon.Init.Files;

/// <summary>
/// openat2(2) with RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV from the workspace directory: the
/// kernel refuses any resolution — symlinks included — that would leave it. Where openat2 does not exist
/// (ENOSYS: gVisor, old kernels) or a seccomp filter refuses it (EPERM: gVisor's own copy of the bundle's profile
/// cannot name a syscall its Sentry lacks, so openat2 meets the profile's default action) every open takes
/// <see cref="ConfinedWalk"/> instead, decided once per process. The walk is as strict, so taking it after an EPERM
/// openat2 meant for another reason costs speed only; the walk then reports that error itself.
/// </summary>
internal static unsafe class ConfinedOpen
{
    private static volatile bool _openat2Missing;

    /// <summary>True once openat2 answered ENOSYS or EPERM; tests set it to exercise the walk on any kernel.</summary>
    public static bool UseWalk
    {
        get => _openat2Missing;
        set => _openat2Missing = value;
    }

    private const long SysOpenat2 = 437;
    private const ulong ResolveNoXdev = 0x01;
    private const ulong ResolveNoMagiclinks = 0x02;
    private const ulong ResolveBeneath = 0x08;

    /// <summary>Opens <paramref name="relative"/> under <paramref name="rootFd"/>; returns the fd or -errno.</summary>
    public static int Open(int rootFd, string relative, int flags, uint mode = 0)
    {
        if (!_openat2Missing)
        {
            var fd = OpenBeneath(rootFd, relative, flags, mode);
            if (fd != -FileSyscalls.ENOSYS && fd != -FileSyscalls.EPERM)
            {
                return fd;
            }

            _openat2Missing = true;
        }

        return ConfinedWalk.Open(rootFd, relative, flags, mode);
    }

    private static int OpenBeneath(int rootFd, string relative, int flags, uint mode)
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
        Libc.EXDEV => new WorkspacePathException($"'{WorkspacePath.Display(path)}' leads outside /workspace"),
        Libc.ELOOP => new WorkspacePathException($"'{WorkspacePath.Display(path)}' goes through a symbolic link that may lead outside /workspace"),
        Libc.ENOENT => new FileNotFoundException($"'{WorkspacePath.Display(path)}' does not exist"),
        Libc.ENOTDIR => new WorkspacePathException($"a parent of '{WorkspacePath.Display(path)}' is not a directory"),
        Libc.EISDIR => new WorkspacePathException($"'{WorkspacePath.Display(path)}' is a directory"),
        Libc.ENOSPC or FileSyscalls.EDQUOT => AgentFileException.NoSpace($"the workspace is full (no space or no inodes left) creating '{WorkspacePath.Display(path)}'"),
        FileSyscalls.ENAMETOOLONG => AgentFileException.NameTooLong(path),
        FileSyscalls.ENXIO => AgentFileException.NotAFile(path, "a FIFO or socket"),
        _ => new IOException($"'{WorkspacePath.Display(path)}': {Marshal.GetPInvokeErrorMessage(-result)}"),
    };

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }
}
