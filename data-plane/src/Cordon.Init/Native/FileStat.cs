namespace Cordon.Init.Native;

/// <summary>What <c>statx</c> told us about one entry.</summary>
internal readonly record struct FileStat(ushort Mode, long Size, long ModifiedAtUnixMs)
{
    private const int TypeMask = 0xF000;

    public bool IsDirectory => (Mode & TypeMask) == 0x4000;

    public bool IsSymbolicLink => (Mode & TypeMask) == 0xA000;
}
