using System.Globalization;
using System.Text;

namespace Cordon.Init;

/// <summary>
/// The agent's command line, written by the runner into the bundle (a job cannot change PID 1's arguments).
/// <c>--control-fd</c>: the inherited control socket (0: the runtime passes the runner's socket as stdin).
/// <c>--job-uid</c>/<c>--job-gid</c>: the ids every program runs as. <c>--spawn-helper</c>: the helper that
/// drops to them. <c>--egress-socket</c>: the runner's egress proxy, a Unix socket bound into the sandbox, which
/// the agent exposes on 127.0.0.1:<c>--egress-port</c> (absent: the sandbox has no egress and nothing listens).
/// Tests on the host point the workspace, helper and proxy at temp paths and the port at a free one.
/// </summary>
internal sealed record AgentOptions(int ControlFd, string Workspace, int JobUid, int JobGid, string SpawnHelper, string? EgressSocket, int EgressPort)
{
    public const int DefaultEgressPort = 3128;

    public const string Usage = "usage: cordon-init [--control-fd N] [--workspace DIR] [--job-uid N] [--job-gid N] [--spawn-helper PATH] [--egress-socket ABSOLUTE-PATH] [--egress-port N]";

    /// <summary>sun_path holds 108 bytes with the terminating NUL.</summary>
    private const int MaxUnixPathBytes = 107;

    public static AgentOptions? Parse(string[] args)
    {
        var controlFd = 0;
        var workspace = "/workspace";
        var jobUid = 1000;
        var jobGid = -1;
        var helper = "/opt/cordon/cordon-spawn";
        string? egressSocket = null;
        var egressPort = DefaultEgressPort;
        for (var i = 0; i < args.Length; i++)
        {
            var hasValue = i + 1 < args.Length;
            switch (args[i])
            {
                case "--control-fd" when hasValue && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out controlFd): i++; break;
                case "--workspace" when hasValue: workspace = args[++i]; break;
                case "--job-uid" when hasValue && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out jobUid): i++; break;
                case "--job-gid" when hasValue && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out jobGid): i++; break;
                case "--spawn-helper" when hasValue: helper = args[++i]; break;
                case "--egress-socket" when hasValue: egressSocket = args[++i]; break;
                case "--egress-port" when hasValue && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out egressPort): i++; break;
                default: return null;
            }
        }

        if (controlFd < 0 || jobUid <= 0 || egressPort is < 1 or > 65535 || (egressSocket is not null && !IsUsableSocketPath(egressSocket)))
        {
            return null;
        }

        return new AgentOptions(controlFd, Path.GetFullPath(workspace), jobUid, jobGid < 0 ? jobUid : jobGid, helper, egressSocket, egressPort);
    }

    /// <summary>Absolute (the agent's working directory is no contract) and short enough for a socket address.</summary>
    private static bool IsUsableSocketPath(string path) =>
        path.StartsWith('/') && !path.Contains('\0', StringComparison.Ordinal) && Encoding.UTF8.GetByteCount(path) <= MaxUnixPathBytes;
}
