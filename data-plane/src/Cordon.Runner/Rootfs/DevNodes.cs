using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Cordon.Runner.Rootfs;

/// <summary>
/// The sandbox's <c>/dev</c>, made once in the root filesystem: runc's default device nodes (made by the runner,
/// which may mknod; a user namespace may not), the mount points of /dev/pts, /dev/shm and /dev/mqueue, and the
/// usual links. The bundle binds it read-only, nosuid, noexec, so sandboxes get no writable /dev and no
/// per-device bind mounts without flags.
/// </summary>
internal static partial class DevNodes
{
    private const uint SIfchr = 0x2000;

    private static readonly (string Name, uint Major, uint Minor)[] Nodes =
    [
        ("null", 1, 3), ("zero", 1, 5), ("full", 1, 7), ("random", 1, 8), ("urandom", 1, 9), ("tty", 5, 0),
    ];

    private static readonly (string Link, string Target)[] Links =
    [
        ("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2"),
        ("ptmx", "pts/ptmx"),
    ];

    public static void Create(string dev)
    {
        foreach (var dir in new[] { "pts", "shm", "mqueue" })
        {
            Directory.CreateDirectory(Path.Combine(dev, dir));
        }

        var rw = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
        foreach (var (name, major, minor) in Nodes)
        {
            var path = Path.Combine(dev, name);
            if (mknod(path, SIfchr | 0b110_110_110, MakeDev(major, minor)) != 0)
            {
                throw new Win32Exception(Marshal.GetLastPInvokeError(), $"mknod {path}");
            }

            File.SetUnixFileMode(path, rw); // mknod's mode passes through the umask
        }

        foreach (var (link, target) in Links)
        {
            File.CreateSymbolicLink(Path.Combine(dev, link), target);
        }

        // Device nodes on a nodev filesystem open for nobody: say so now, not as a sandbox that cannot start.
        try
        {
            using var devNull = File.OpenHandle(Path.Combine(dev, "null"), FileMode.Open, FileAccess.Write);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new InvalidOperationException($"the runner's data directory ({Path.GetDirectoryName(Path.GetDirectoryName(dev))}) is on a filesystem mounted nodev: sandboxes' device nodes live there; choose a data directory on a filesystem without nodev (Cordon:Runner:DataDir)", e);
        }
    }

    /// <summary>glibc's makedev.</summary>
    private static ulong MakeDev(uint major, uint minor) =>
        ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8) | ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mknod(string path, uint mode, ulong dev);
}
