namespace Cordon.Runner.Rootfs;

/// <summary>
/// Builds the shared, read-only root filesystem every sandbox starts from: empty mount points (runc cannot
/// create them inside a root-owned read-only rootfs from a user namespace), symlinks into <c>/usr</c>, and a
/// minimal <c>/etc</c>. Rebuilt from scratch at each start so a tampered tree never survives a restart.
/// </summary>
internal static class RootfsBuilder
{
    private static readonly string[] MountPoints =
        ["usr", "workspace", "tmp", "proc", "sys", "dev", "run/cordon", "opt/cordon/runtimes", "etc", "var/tmp"];

    public static string Build(string dataDir)
    {
        var target = Path.Combine(dataDir, "rootfs");
        var staging = Path.Combine(dataDir, $"rootfs.{Environment.ProcessId}.tmp");
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        Directory.CreateDirectory(staging);
        foreach (var dir in MountPoints)
        {
            Directory.CreateDirectory(Path.Combine(staging, dir));
        }

        File.WriteAllBytes(Path.Combine(staging, "opt/cordon/cordon-init"), []);
        foreach (var link in new[] { "bin", "lib", "lib64", "sbin" })
        {
            File.CreateSymbolicLink(Path.Combine(staging, link), $"usr/{link}");
        }

        var etc = Path.Combine(staging, "etc");
        File.WriteAllText(Path.Combine(etc, "passwd"), "root:x:0:0:root:/root:/usr/sbin/nologin\nsandbox:x:1000:1000:sandbox:/workspace:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
        File.WriteAllText(Path.Combine(etc, "group"), "root:x:0:\nsandbox:x:1000:\nnogroup:x:65534:\n");
        File.WriteAllText(Path.Combine(etc, "hosts"), "127.0.0.1\tlocalhost sandbox\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        File.WriteAllText(Path.Combine(etc, "nsswitch.conf"), "passwd: files\ngroup: files\nhosts: files dns\n");
        File.WriteAllText(Path.Combine(etc, "resolv.conf"), "");
        if (File.Exists("/etc/ld.so.cache"))
        {
            File.Copy("/etc/ld.so.cache", Path.Combine(etc, "ld.so.cache"));
        }

        CopyAlternatives(etc);
        foreach (var dir in Directory.EnumerateDirectories(staging, "*", SearchOption.AllDirectories).Prepend(staging))
        {
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        }

        File.SetUnixFileMode(Path.Combine(staging, "tmp"), (UnixFileMode)0b1_111_111_111);
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }

        Directory.Move(staging, target);
        return target;
    }

    // Debian resolves cc, c++, python and friends through /etc/alternatives symlinks into /usr.
    private static void CopyAlternatives(string etc)
    {
        if (!Directory.Exists("/etc/alternatives"))
        {
            return;
        }

        var target = Directory.CreateDirectory(Path.Combine(etc, "alternatives")).FullName;
        foreach (var entry in new DirectoryInfo("/etc/alternatives").EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is { } link && link.StartsWith("/usr/", StringComparison.Ordinal))
            {
                File.CreateSymbolicLink(Path.Combine(target, entry.Name), link);
            }
        }
    }
}
