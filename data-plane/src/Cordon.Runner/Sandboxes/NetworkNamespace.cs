using System.Runtime.InteropServices;
using Cordon.Runner.Native;

namespace Cordon.Runner.Sandboxes;

/// <summary>
/// A named network namespace holding only <c>lo</c> (up), made with syscalls instead of <c>ip netns add</c>:
/// a short-lived thread unshares its network namespace, raises <c>lo</c> and pins the namespace with a bind
/// mount at <c>/run/netns/cordon-&lt;id&gt;</c>, where <c>ip netns list</c> shows it.
/// </summary>
internal static unsafe class NetworkNamespace
{
    public const string Directory = "/run/netns";

    private const ulong SIOCGIFFLAGS = 0x8913;
    private const ulong SIOCSIFFLAGS = 0x8914;
    private const short IFF_UP = 1;

    public static string PathFor(string sandboxId) => Path.Combine(Directory, $"cordon-{sandboxId}");

    public static Task<string> CreateAsync(string sandboxId)
    {
        var path = PathFor(sandboxId);
        var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        // The thread ends inside the new namespace; only the bind mount keeps it alive.
        var thread = new Thread(() =>
        {
            try
            {
                Create(path);
                done.SetResult(path);
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        { IsBackground = true, Name = "cordon-netns" };
        thread.Start();
        return done.Task;
    }

    private static void Create(string path)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CREAT | Libc.O_CLOEXEC, 0);
        Check(fd, $"create {path}");
        Libc.close(fd);
        Check(Libc.unshare(Libc.CLONE_NEWNET), "unshare(CLONE_NEWNET)");
        RaiseLoopback();
        // /proc/sys/net follows the calling thread's network namespace: no ICMP sockets for any group.
        File.WriteAllText("/proc/sys/net/ipv4/ping_group_range", "1 0");
        Check(Libc.mount($"/proc/self/task/{Libc.gettid()}/ns/net", path, null, Libc.MS_BIND, null), $"bind {path}");
    }

    private static void RaiseLoopback()
    {
        var sock = Libc.socket(2, 2 | Libc.O_CLOEXEC, 0);
        Check(sock, "socket");
        try
        {
            var ifr = stackalloc byte[40];
            new Span<byte>(ifr, 40).Clear();
            "lo"u8.CopyTo(new Span<byte>(ifr, 16));
            Check(Libc.ioctl(sock, SIOCGIFFLAGS, ifr), "SIOCGIFFLAGS lo");
            *(short*)(ifr + 16) |= IFF_UP;
            Check(Libc.ioctl(sock, SIOCSIFFLAGS, ifr), "SIOCSIFFLAGS lo");
        }
        finally
        {
            Libc.close(sock);
        }
    }

    /// <summary>Unpins and removes the namespace; missing is fine (idempotent, used by the reaper).</summary>
    public static void Delete(string sandboxId)
    {
        var path = PathFor(sandboxId);
        if (!File.Exists(path))
        {
            return;
        }

        if (Libc.umount2(path, Libc.MNT_DETACH) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Libc.EINVAL && errno != Libc.ENOENT)
            {
                throw new IOException($"umount {path}: {Libc.Error(errno)}");
            }
        }

        File.Delete(path);
    }

    private static void Check(int rc, string what)
    {
        if (rc < 0)
        {
            throw new IOException($"{what}: {Libc.Error(Marshal.GetLastPInvokeError())}");
        }
    }
}
