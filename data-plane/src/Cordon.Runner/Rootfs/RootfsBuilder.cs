namespace Cordon.Runner.Rootfs;

/// <summary>
/// Builds the shared, read-only root filesystem every sandbox starts from: empty mount points (with a user
/// namespace runc cannot create them in a root-owned read-only tree), the merged-/usr symlinks, and a minimal
/// /etc. Nothing of the host's /etc is visible beyond the few files copied here.
/// </summary>
internal static class RootfsBuilder
{
    private static readonly string[] MountPoints =
    [
        "usr", "workspace", "tmp", "proc", "sys", "dev", "opt/cordon/runtimes", "etc", "run/secrets", "run/cordon-egress", "etc/ssl/certs", "opt/cordon/deps",
    ];

    private static readonly (string Link, string Target)[] Links =
    [
        ("bin", "usr/bin"), ("sbin", "usr/sbin"), ("lib", "usr/lib"), ("lib64", "usr/lib64"), ("lib32", "usr/lib32"),
    ];

    private static readonly string[] CopiedEtcFiles = ["ld.so.cache", "localtime"];

    public static string Build(string dataDirectory)
    {
        var rootfs = Path.Combine(dataDirectory, "rootfs");
        var staging = rootfs + ".new";
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        foreach (var dir in MountPoints)
        {
            Directory.CreateDirectory(Path.Combine(staging, dir));
        }

        // runc gives a tmpfs the mode of the directory it is mounted on.
        File.SetUnixFileMode(Path.Combine(staging, "tmp"), (UnixFileMode)Convert.ToInt32("1777", 8));
        File.SetUnixFileMode(Path.Combine(staging, "workspace"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllBytes(Path.Combine(staging, "opt/cordon/cordon-init"), []);
        File.WriteAllBytes(Path.Combine(staging, "opt/cordon/cordon-spawn"), []);
        DevNodes.Create(Path.Combine(staging, "dev"));
        foreach (var (link, target) in Links)
        {
            File.CreateSymbolicLink(Path.Combine(staging, link), target);
        }

        WriteEtc(Path.Combine(staging, "etc"));
        // Swap in atomically, so a runner restarting under load never shows sandboxes a half-built tree.
        if (Directory.Exists(rootfs))
        {
            var old = rootfs + ".old";
            if (Directory.Exists(old))
            {
                Directory.Delete(old, recursive: true);
            }

            Directory.Move(rootfs, old);
            Directory.Move(staging, rootfs);
            Directory.Delete(old, recursive: true);
        }
        else
        {
            Directory.Move(staging, rootfs);
        }

        return rootfs;
    }

    private static void WriteEtc(string etc)
    {
        File.WriteAllText(Path.Combine(etc, "passwd"),
            "root:x:0:0:root:/root:/usr/sbin/nologin\nsandbox:x:1000:1000:sandbox:/workspace:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
        File.WriteAllText(Path.Combine(etc, "group"), "root:x:0:\nsandbox:x:1000:\nnogroup:x:65534:\n");
        File.WriteAllText(Path.Combine(etc, "hosts"), "127.0.0.1\tlocalhost sandbox\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        File.WriteAllText(Path.Combine(etc, "nsswitch.conf"), "passwd: files\ngroup: files\nhosts: files dns\n");
        File.WriteAllText(Path.Combine(etc, "resolv.conf"), "# no network: DNS has nowhere to go\n");
        foreach (var name in CopiedEtcFiles)
        {
            var source = Path.Combine("/etc", name);
            var target = Path.Combine(etc, name);
            var info = new FileInfo(source);
            if (info.LinkTarget is { } linkTarget)
            {
                File.CreateSymbolicLink(target, linkTarget);
            }
            else if (info.Exists)
            {
                File.Copy(source, target);
            }
        }

        // Debian's alternatives (awk, editor, …) are symlinks into /usr: copy the links, never their targets.
        var alternatives = Directory.CreateDirectory(Path.Combine(etc, "alternatives"));
        if (Directory.Exists("/etc/alternatives"))
        {
            foreach (var entry in new DirectoryInfo("/etc/alternatives").EnumerateFileSystemInfos())
            {
                if (entry.LinkTarget is { } target && target.StartsWith("/usr/", StringComparison.Ordinal))
                {
                    File.CreateSymbolicLink(Path.Combine(alternatives.FullName, entry.Name), target);
                }
            }
        }
    }
}
