using System.Globalization;

namespace Cordon.Init;

/// <summary>
/// The agent's command line, written by the runner into the bundle (a job cannot change PID 1's arguments).
/// <c>--control-fd</c>: the inherited control socket (0: the runtime passes the runner's socket as stdin).
/// <c>--job-uid</c>/<c>--job-gid</c>: the ids every program runs as. <c>--spawn-helper</c>: the helper that
/// drops to them. Tests on the host point the workspace and helper at temp paths.
/// </summary>
internal sealed record AgentOptions(int ControlFd, string Workspace, int JobUid, int JobGid, string SpawnHelper)
{
    public const string Usage = "usage: cordon-init [--control-fd N] [--workspace DIR] [--job-uid N] [--job-gid N] [--spawn-helper PATH]";

    public static AgentOptions? Parse(string[] args)
    {
        var controlFd = 0;
        var workspace = "/workspace";
        var jobUid = 1000;
        var jobGid = -1;
        var helper = "/opt/cordon/cordon-spawn";
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
                default: return null;
            }
        }

        return controlFd < 0 || jobUid <= 0 ? null : new AgentOptions(controlFd, Path.GetFullPath(workspace), jobUid, jobGid < 0 ? jobUid : jobGid, helper);
    }
}
