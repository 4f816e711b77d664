using System.Net.Sockets;
using Cordon.Runner.Native;

namespace Cordon.Runner.Agent;

/// <summary>
/// The runner's only way to a sandbox's agent: a socket pair made here, one end handed to the OCI runtime as the
/// container's stdin (so <c>cordon-init</c> starts holding it), the other kept. Each agent call is a fresh socket
/// pair whose far end is sent over the channel with SCM_RIGHTS. No socket path exists on either side, so nothing
/// in the sandbox can connect to the agent or put itself in its place, and nothing on the host can either.
/// </summary>
internal sealed class AgentChannel : IDisposable
{
    private readonly Lock _sendLock = new();
    private readonly Socket _local;

    public AgentChannel()
    {
        (_local, AgentEnd) = SocketPair.Create();
    }

    /// <summary>The end the agent gets as an inherited fd; closed here once the runtime has started the sandbox.</summary>
    public SafeSocketHandle AgentEnd { get; }

    /// <summary>A new connection to the agent (one request); fails once the agent is gone.</summary>
    public Socket Connect()
    {
        var (local, remote) = SocketPair.Create();
        try
        {
            using (remote)
            {
                lock (_sendLock)
                {
                    SocketPair.SendFd(_local.SafeHandle, remote);
                }
            }

            return local;
        }
        catch
        {
            local.Dispose();
            throw;
        }
    }

    /// <summary>Drops the runner's copy of the agent's end (the sandbox holds its own now).</summary>
    public void ReleaseAgentEnd() => AgentEnd.Dispose();

    public void Dispose()
    {
        AgentEnd.Dispose();
        _local.Dispose();
    }
}
