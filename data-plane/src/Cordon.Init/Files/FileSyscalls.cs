using System.Runtime.InteropServices;

namespace Cordon.Init.Files;

/// <summary>
/// The calls the confined file operations need beyond <c>Native.Libc</c>: <c>openat</c>, <c>statx</c> (its buffer
/// has one layout on every architecture, unlike <c>struct stat</c>), <c>ftruncate</c> and <c>getrlimit</c>.
/// </summary>
internal static unsafe partial class FileSyscalls
{
    public const int EPERM = 1;
    public const int ENXIO = 6;
    public const int EFBIG = 27;
    public const int ENAMETOOLONG = 36;
    public const int ENOSYS = 38;
    public const int EDQUOT = 122;

    public const int AtEmptyPath = 0x1000;
    public const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const uint StatxMode = 0x2;
    private const int RlimitFsize = 1;

    public const int SIfmt = 0xF000;
    public const int SIfreg = 0x8000;
    public const int SIfdir = 0x4000;
    public const int SIflnk = 0xA000;
    public const int SIfifo = 0x1000;
    public const int SIfsock = 0xC000;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int openat(int dirfd, byte* path, int flags, uint mode);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int ftruncate(int fd, long length);

    /// <summary>Type bits and device of an open fd (O_PATH included), or -errno.</summary>
    public static int Status(int fd, out FileStatus status)
    {
        var buffer = stackalloc byte[256];
        var empty = stackalloc byte[1];
        empty[0] = 0;
        if (statx(fd, empty, AtEmptyPath | AtSymlinkNoFollow, StatxType | StatxMode, buffer) != 0)
        {
            status = default;
            return -Marshal.GetLastPInvokeError();
        }

        // struct statx: stx_mode (u16) at 28, stx_size (u64) at 40, stx_dev_major/minor (u32) at 136/140.
        status = new FileStatus(*(ushort*)(buffer + 28), *(long*)(buffer + 40), ((ulong)*(uint*)(buffer + 136) << 32) | *(uint*)(buffer + 140));
        return 0;
    }

    /// <summary>The process's file size limit (RLIMIT_FSIZE), or null when unlimited.</summary>
    public static long? FileSizeLimit()
    {
        var limit = stackalloc ulong[2];
        return getrlimit(RlimitFsize, limit) == 0 && limit[0] < long.MaxValue ? (long)limit[0] : null;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int statx(int dirfd, byte* path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getrlimit(int resource, ulong* limit);
}
