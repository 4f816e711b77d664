using System.Runtime.InteropServices;

namespace Cordon.Runner.Hosting;

/// <summary>
/// The runner's file mode mask, set before anything is created: 022. Sandbox uids must traverse to the root
/// filesystem and read its files, so those get 0755/0644 whatever mask the runner's caller had (a control plane
/// that sets 077 for itself and then starts a runner, as the tests do, had it making a root filesystem no sandbox
/// could enter). Whatever must be private is created with its own explicit mode (<c>HostFileModes</c>).
/// </summary>
internal static partial class FileModeMask
{
    private const uint GroupAndOthersMayNotWrite = 0b000_010_010; // 022

    public static void Set() => _ = Umask(GroupAndOthersMayNotWrite);

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint Umask(uint mask);
}
