namespace Cordon.Init.Files;

/// <summary>What <c>statx</c> says about an open fd: its type, size and device.</summary>
internal readonly record struct FileStatus(int Mode, long Size, ulong Device)
{
    public int Type => Mode & FileSyscalls.SIfmt;

    public bool IsRegular => Type == FileSyscalls.SIfreg;

    public bool IsDirectory => Type == FileSyscalls.SIfdir;

    public bool IsSymlink => Type == FileSyscalls.SIflnk;

    /// <summary>Words for an error message: "a FIFO", "a socket"….</summary>
    public string Describe() => Type switch
    {
        FileSyscalls.SIfifo => "a FIFO",
        FileSyscalls.SIfsock => "a socket",
        FileSyscalls.SIfdir => "a directory",
        FileSyscalls.SIflnk => "a symbolic link",
        0x2000 => "a character device",
        0x6000 => "a block device",
        _ => "a special file",
    };
}
