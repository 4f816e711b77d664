using Cordon.Contracts.Runner.V1;
using Cordon.TestSupport;
using Grpc.Core;
using Grpc.Net.Client;

namespace Cordon.Bench;

/// <summary>A real <c>cordon-runner</c> process on a free loopback port, and a gRPC client for it.</summary>
internal sealed class RunnerProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly GrpcChannel _channel;

    private RunnerProcess(ChildProcess process, GrpcChannel channel, Metadata headers)
    {
        _process = process;
        _channel = channel;
        Client = new Runner.RunnerClient(channel);
        Headers = headers;
    }

    public Runner.RunnerClient Client { get; }

    public Metadata Headers { get; }

    /// <param name="packages">The registry dependency installs come from.</param>
    public static async Task<RunnerProcess> StartAsync(BenchOptions options, Cordon.TestSupport.Packages.TestPackageRegistry packages, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.WorkDirectory);
        var port = FreePort.Next();
        var token = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var info = ChildProcess.CreateStartInfo(
            Path.Combine(options.BinDirectory, "cordon-runner"),
            ["serve", "--urls", $"http://127.0.0.1:{port}"],
            new Dictionary<string, string?>
            {
                ["Cordon__Runner__ServiceToken"] = token,
                ["Cordon__Runner__DataDir"] = Path.Combine(options.WorkDirectory, "runner"),
                ["Logging__LogLevel__Default"] = "Warning",
                ["Cordon__Dependencies__PythonIndexUrl"] = packages.PythonIndexUrl,
                ["Cordon__Dependencies__NpmRegistryUrl"] = packages.NpmRegistryUrl,
            });
        var process = ChildProcess.Start(info, onStderrLine: line => Console.Error.WriteLine($"[runner] {line}"));

        var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var runner = new RunnerProcess(process, channel, new Metadata { { "authorization", $"Bearer {token}" } });
        await runner.WaitHealthyAsync(cancellationToken);
        return runner;
    }

    public async ValueTask DisposeAsync()
    {
        // SIGTERM: the runner destroys its sandboxes on the way out; SIGKILL only if it does not stop.
        await _process.DisposeAsync();
        _channel.Dispose();
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
}
