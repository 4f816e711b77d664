using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Cordon.Contracts.Runner.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Cordon.Runner.Tests;

/// <summary>A real <c>cordon-runner serve</c> process on a free loopback port with its own data directory, and a gRPC client.</summary>
public sealed class RunnerProcess : IAsyncLifetime
{
    private Process _process = null!;
    private GrpcChannel _channel = null!;

    public Contracts.Runner.V1.Runner.RunnerClient Client { get; private set; } = null!;

    public Metadata Auth { get; private set; } = null!;

    /// <summary>Set it to start on an existing data directory (a restart after a crash).</summary>
    public string DataDirectory { get; init; } = CreateDataDirectory();

    public string Token { get; } = Guid.NewGuid().ToString("N");

    /// <summary>More runner configuration, as environment variables (e.g. <c>Cordon__Runner__Capacity</c>).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>Serve on this Unix socket (<c>Cordon:Runner:Socket</c>) instead of a loopback port.</summary>
    public string? Socket { get; init; }

    public int Pid => _process.Id;

    public string Url { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}";
        var info = new ProcessStartInfo(RunnerBinary(), ["serve", "--urls", Url]) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["Cordon__Runner__ServiceToken"] = Token;
        info.Environment["Cordon__Runner__DataDir"] = DataDirectory;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in Settings)
        {
            info.Environment[name] = value;
        }

        if (Socket is not null)
        {
            info.Environment["Cordon__Runner__Socket"] = Socket;
        }

        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
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
        if (!_process.HasExited)
        {
            // SIGTERM: the runner destroys its sandboxes on the way out; SIGKILL only if it does not stop.
            using (var term = System.Diagnostics.Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }

    public static string RunnerBinary()
    {
        var bin = Environment.GetEnvironmentVariable("CORDON_BIN_DIR");
        return bin is { Length: > 0 } ? Path.Combine(bin, "cordon-runner") : Path.Combine(AppContext.BaseDirectory, "cordon-runner");
    }

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

    private static string CreateDataDirectory()
    {
        var root = Directory.CreateTempSubdirectory("cordon-runner-test-");
        root.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return Path.Combine(root.FullName, "data");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
