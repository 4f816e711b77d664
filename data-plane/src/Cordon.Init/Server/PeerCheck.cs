using Cordon.Init.Native;

namespace Cordon.Init.Server;

/// <summary>
/// SO_PEERCRED on every channel the agent serves: the other end must be the runner, never a process of this
/// sandbox. In a sandbox the runner lives outside the agent's pid namespace (the kernel reports pid 0) and its
/// uid is unmapped; a job would show up with its own pid (a descendant of the agent) and the job uid.
/// </summary>
internal static unsafe class PeerCheck
{
    /// <summary>Null when the peer may talk to the agent, otherwise why not.</summary>
    public static string? Refusal(int fd, int jobUid)
    {
        Libc.PeerCredentials peer;
        var length = (uint)sizeof(Libc.PeerCredentials);
        if (Libc.getsockopt(fd, Libc.SOL_SOCKET, Libc.SO_PEERCRED, &peer, &length) != 0)
        {
            return $"no peer credentials (errno {Libc.Errno})";
        }

        // gVisor answers SO_PEERCRED with the caller's own credentials; on Linux the runner's socket pair can never
        // report the agent itself. Under runsc the check has nothing to check, and the construction (no path, an fd
        // only the agent holds) is what keeps jobs out.
        if (peer.Pid == Libc.getpid() && peer.Uid == Libc.getuid())
        {
            return null;
        }

        if (peer.Uid == (uint)jobUid)
        {
            return $"the peer runs as the job uid {jobUid}";
        }

        return peer.Pid > 0 && IsDescendant(peer.Pid) ? $"the peer is process {peer.Pid} of this sandbox" : null;
    }

    /// <summary>Whether <paramref name="pid"/> is the agent or one of its descendants (a job, a helper).</summary>
    private static bool IsDescendant(int pid)
    {
        var self = Libc.getpid();
        for (var depth = 0; pid > 0 && depth < 4096; depth++)
        {
            if (pid == self)
            {
                return true;
            }

            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                pid = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
            {
                // Gone while we looked: it cannot be served anyway, and a vanished peer is not the runner.
                return true;
            }
        }

        return false;
    }
}
