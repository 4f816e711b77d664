using System.Net.Sockets;
using Cordon.Contracts.Runner.V1;
using Cordon.TestSupport;
using Cordon.TestSupport.Egress;
using Grpc.Core;
using Grpc.Net.Client;

namespace Cordon.Runner.Tests;

/// <summary>A real <c>cordon-runner serve</c> process on a free loopback port with its own data directory, and a gRPC client.</summary>
public sealed class RunnerProcess : IAsyncLifetime
{
    private ChildProcess _process = null!;
    private GrpcChannel _channel = null!;

    public Contracts.Runner.V1.Runner.RunnerClient Client { get; private set; } = null!;

    public Metadata Auth { get; private set; } = null!;

    /// <summary>Set it to start on an existing data directory (a restart after a crash).</summary>
    public string DataDirectory { get; init; } = CreateDataDirectory();

    public string Token { get; } = Guid.NewGuid().ToString("N");

    /// <summary>More runner configuration, as environment variables (e.g. <c>Cordon__Runner__Capacity</c>).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>Resolve names with this test network's DNS server (<see cref="EgressNetwork.WithItsResolver"/>).</summary>
    public EgressNetwork? Network { get; init; }

    /// <summary>Serve on this Unix socket (<c>Cordon:Runner:Socket</c>) instead of a loopback port.</summary>
    public string? Socket { get; init; }

    public int Pid => _process.Id;

    public string Url { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        Url = $"http://127.0.0.1:{FreePort.Next()}";
        var environment = new Dictionary<string, string?>
        {
            ["Cordon__Runner__ServiceToken"] = Token,
            ["Cordon__Runner__DataDir"] = DataDirectory,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        // The OCI runtime under test: runc, or runsc in scripts/test.sh's gVisor leg.
        if (Environment.GetEnvironmentVariable("CORDON_TEST_OCI_RUNTIME") is { Length: > 0 } runtime)
        {
            environment["Cordon__Runner__OciRuntime"] = runtime;
        }

        foreach (var (name, value) in Settings)
        {
            environment[name] = value;
        }

        if (Socket is not null)
        {
            environment["Cordon__Runner__Socket"] = Socket;
        }

        var start = ChildProcess.CreateStartInfo(RunnerBinary(), ["serve", "--urls", Url], environment);
        _process = ChildProcess.Start(Network is null ? start : Network.WithItsResolver(start));
        _channel = Socket is null
            ? GrpcChannel.ForAddress(Url, new GrpcChannelOptions { MaxReceiveMessageSize = 96 * 1024 * 1024 })
            : UnixChannel(Socket);
        Client = new Contracts.Runner.V1.Runner.RunnerClient(_channel);
        Auth = new Metadata { { "authorization", $"Bearer {Token}" } };
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await Client.GetHealthAsync(new HealthRequest(), Auth);
                return;
            }
            catch (RpcException) when (attempt < 300 && !_process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        // SIGTERM: the runner destroys its sandboxes on the way out; SIGKILL only if it does not stop.
        await _process.DisposeAsync();
    }

    public static string RunnerBinary()
    {
        var bin = Environment.GetEnvironmentVariable("CORDON_BIN_DIR");
        return bin is { Length: > 0 } ? Path.Combine(bin, "cordon-runner") : Path.Combine(AppContext.BaseDirectory, "cordon-runner");
    }

    /// <summary>Whether the runner still runs, and the tail of what it printed: for a failure message.</summary>
    public string Describe() =>
        (_process.HasExited ? $"runner {_process.Id} exited with {_process.ExitCode}" : $"runner {_process.Id} is running")
        + "; its output ends:\n" + _process.Tail();

    /// <summary>SIGKILL of the runner alone, as a crash: its sandboxes stay behind.</summary>
    public void Kill() => _process.Kill(entireProcessTree: false);

    private static GrpcChannel UnixChannel(string path) => GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
    {
        MaxReceiveMessageSize = 96 * 1024 * 1024,
        HttpHandler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        },
    });

    private static string CreateDataDirectory() => Path.Combine(TraversableTempDirectory.Create("cordon-runner-test-"), "data");
}
