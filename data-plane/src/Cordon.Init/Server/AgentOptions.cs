namespace Cordon.Init.Server;

/// <summary><c>cordon-init [--socket PATH] [--workspace DIR]</c>; tests point both at temporary paths.</summary>
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
                case "--socket" when i + 1 < args.Length:
                    socket = args[++i];
                    break;
                case "--workspace" when i + 1 < args.Length:
                    workspace = args[++i];
                    break;
                default:
                    return null;
            }
        }

        return new AgentOptions(socket, Path.GetFullPath(workspace));
    }
}
