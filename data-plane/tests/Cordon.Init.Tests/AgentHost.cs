using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Cordon.Contracts.Runner.Agent;
using Cordon.Runner.Agent;
using Cordon.Runner.Native;
using Cordon.TestSupport;

namespace Cordon.Init.Tests;

/// <summary>
/// The real agent binary on the host, started the way the runner's OCI runtime starts it: the control channel
/// as stdin, a drained log as stdout and stderr, programs run as <see cref="JobUid"/> through cordon-spawn in a
/// workspace that uid owns; and a protocol client for it.
/// </summary>
public sealed partial class AgentHost : IAsyncDisposable
{
    /// <summary>The job uid on the host (nobody): the agent runs as root, so the drop is real.</summary>
    public const int JobUid = 65534;

    private readonly int _pid;
    private readonly Task<int> _exited;
    private readonly AgentChannel _channel;
    private readonly AgentLog _log;
    private readonly DirectoryInfo _root;

    private AgentHost(int pid, AgentChannel channel, AgentLog log, DirectoryInfo root)
    {
        _pid = pid;
        _exited = StdioSpawn.WaitAsync(pid);
        _channel = channel;
        _log = log;
        _root = root;
    }

    public string Workspace => Path.Combine(_root.FullName, "ws");

    /// <summary>The agent's end of its life: its exit code once the channel closed or it was killed.</summary>
    internal Task<int> Exited => _exited;

    /// <summary>The agent's pid (to count its threads and fds).</summary>
    public int Pid => _pid;

    public static Task<AgentHost> StartAsync(CancellationToken cancellationToken) => StartAsync([], cancellationToken);

    /// <summary>Starts the agent with <paramref name="extraArguments"/> after the ones every test needs (e.g. <c>--egress-socket</c>).</summary>
    public static Task<AgentHost> StartAsync(IReadOnlyList<string> extraArguments, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var root = Directory.CreateTempSubdirectory("cordon-init-test-");
        root.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        var workspace = Directory.CreateDirectory(Path.Combine(root.FullName, "ws"));
        workspace.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        if (chown(workspace.FullName, JobUid, JobUid) != 0)
        {
            throw new IOException($"chown {workspace.FullName}: errno {Marshal.GetLastPInvokeError()}");
        }

        var channel = new AgentChannel();
        var log = new AgentLog(Path.Combine(root.FullName, "init.log"));
        var helper = Path.Combine(Path.GetDirectoryName(RepoPaths.InitBinaryResolved)!, "cordon-spawn");
        var pid = StdioSpawn.Start(
            [RepoPaths.InitBinary, "--workspace", workspace.FullName, "--job-uid", JobUid.ToString(CultureInfo.InvariantCulture), "--spawn-helper", helper, .. extraArguments],
            channel.AgentEnd, log.ContainerEnd);
        channel.ReleaseAgentEnd();
        log.ReleaseContainerEnd();
        return Task.FromResult(new AgentHost(pid, channel, log, root));
    }

    /// <summary>What the agent wrote to its stdout/stderr so far.</summary>
    public Task<string> LogAsync(CancellationToken cancellationToken) => _log.ReadAsync(cancellationToken);

    /// <summary>Closes the runner's end of the control channel, as a runner that goes away does.</summary>
    public void HangUpChannel() => _channel.Dispose();

    /// <summary>Sends one request and collects every frame until the connection closes.</summary>
    public async Task<AgentResult> CallAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        using var stream = await ConnectAsync(cancellationToken);
        await AgentFrame.WriteAsync(stream, AgentFrameKind.Message, JsonSerializer.SerializeToUtf8Bytes(request, AgentJsonContext.Default.AgentRequest), cancellationToken);
        return await ReadResultAsync(stream, cancellationToken);
    }

    /// <summary>Opens a raw connection (for hang-up and malformed-frame tests), as the runner does: over the channel.</summary>
    public Task<NetworkStream> ConnectAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(new NetworkStream(_channel.Connect(), ownsSocket: true));
    }

    public static async Task<AgentResult> ReadResultAsync(Stream stream, CancellationToken cancellationToken)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        AgentReply? reply = null;
        while (await AgentFrame.ReadAsync(stream, cancellationToken) is { } frame)
        {
            switch (frame.Kind)
            {
                case AgentFrameKind.Stdout: stdout.Write(frame.Payload.Span); break;
                case AgentFrameKind.Stderr: stderr.Write(frame.Payload.Span); break;
                default: reply = JsonSerializer.Deserialize(frame.Payload.Span, AgentJsonContext.Default.AgentReply); break;
            }
        }

        return new AgentResult(reply ?? throw new InvalidOperationException("no reply"), Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()));
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int chown(string path, int uid, int gid);

    public async ValueTask DisposeAsync()
    {
        if (!_exited.IsCompleted)
        {
            Process.GetProcessById(_pid).Kill();
        }

        await _exited;
        _channel.Dispose();
        _log.Dispose();
        _root.Delete(recursive: true);
    }
}
