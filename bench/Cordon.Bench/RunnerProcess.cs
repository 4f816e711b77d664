using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Cordon.Contracts.Runner.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Cordon.Bench;

/// <summary>A real <c>cordon-runner</c> process on a free loopback port, and a gRPC client for it.</summary>
internal sealed class RunnerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly GrpcChannel _channel;

    private RunnerProcess(Process process, GrpcChannel channel, Metadata headers)
    {
        _process = process;
        _channel = channel;
        Client = new Runner.RunnerClient(channel);
        Headers = headers;
    }

    public Runner.RunnerClient Client { get; }

    public Metadata Headers { get; }

    public static async Task<RunnerProcess> StartAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.WorkDirectory);
        var port = FreePort();
        var token = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var info = new ProcessStartInfo(Path.Combine(options.BinDirectory, "cordon-runner"), ["serve", "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["Cordon__Runner__ServiceToken"] = token;
        info.Environment["Cordon__Runner__DataDir"] = Path.Combine(options.WorkDirectory, "runner");
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(info) ?? throw new InvalidOperationException("cordon-runner did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine($"[runner] {e.Data}"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var runner = new RunnerProcess(process, channel, new Metadata { { "authorization", $"Bearer {token}" } });
        await runner.WaitHealthyAsync(cancellationToken);
        return runner;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync();
        }

        _channel.Dispose();
        _process.Dispose();
    }

    private async Task WaitHealthyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                var health = await Client.GetHealthAsync(new HealthRequest(), Headers, cancellationToken: cancellationToken);
                if (health.Ready)
                {
                    Console.WriteLine($"runner {health.Version} on {health.OciRuntime}, capacity {health.Capacity}");
                    return;
                }
            }
            catch (RpcException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
            }

            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("cordon-runner did not become ready");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
