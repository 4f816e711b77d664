using System.Runtime.InteropServices;

namespace Cordon.Init.Native;

/// <summary>The libc calls the agent needs; source-generated so that NativeAOT stays reflection-free.</summary>
internal static unsafe partial class Libc
{
    private const string Lib = "libc";

    public const int PrSetDumpable = 4;
    public const int PrSetChildSubreaper = 36;

    public const int OCloexec = 0x80000;
    public const int ONonblock = 0x800;
    public const int FDupfdCloexec = 1030;

    public const int ECHILD = 10;
    public const int EINTR = 4;
    public const int ENOENT = 2;
    public const int EEXIST = 17;
    public const int ENOTDIR = 20;
    public const int EISDIR = 21;
    public const int ENOSPC = 28;
    public const int ELOOP = 40;
    public const int EXDEV = 18;
    public const int ESRCH = 3;

    public const int SIGKILL = 9;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int waitpid(int pid, int* status, int options);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int kill(int pid, int signal);

    [LibraryImport(Lib)]
    public static partial int getpid();

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int pipe2(int* fds, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fcntl(int fd, int command, int argument);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int ioctl(int fd, nuint request, int* argument);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint read(int fd, byte* buffer, nint count);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint write(int fd, byte* buffer, nint count);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int access(byte* path, int mode);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint syscall(nint number, nint a1, nint a2, nint a3, nint a4);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int open(byte* path, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int mkdirat(int dirfd, byte* path, int mode);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int unlinkat(int dirfd, byte* path, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int statx(int dirfd, byte* path, int flags, uint mask, byte* buffer);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint fdopendir(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial byte* readdir(nint directory);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int closedir(nint directory);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int poll(PollFd* fds, nuint count, int timeoutMs);

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }
}
