namespace Cordon.Init;

/// <summary>The agent's command line. Inside a sandbox the defaults apply; tests point both at temp paths.</summary>
internal sealed record AgentOptions(string SocketPath, string Workspace)
{
    public static AgentOptions? Parse(string[] args)
    {
        var socket = "/run/cordon/agent.sock";
        var workspace = "/workspace";
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--socket" when i + 1 < args.Length: socket = args[++i]; break;
                case "--workspace" when i + 1 < args.Length: workspace = args[++i]; break;
                default: return null;
            }
        }

        return new AgentOptions(socket, Path.GetFullPath(workspace));
    }
}
