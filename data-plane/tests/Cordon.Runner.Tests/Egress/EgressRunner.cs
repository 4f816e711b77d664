using Cordon.Contracts.Runner.V1;
using Cordon.TestSupport;
using Cordon.TestSupport.Egress;
using Google.Protobuf;

namespace Cordon.Runner.Tests.Egress;

/// <summary>A test network (<see cref="EgressNetwork"/>) and a real runner resolving names with its DNS server.</summary>
public sealed class EgressRunner : IAsyncLifetime
{
    public EgressNetwork Network { get; private set; } = null!;

    public RunnerProcess Runner { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Network = await EgressNetwork.StartAsync(TestContext.Current.CancellationToken);
        Runner = new RunnerProcess
        {
            Network = Network,
            // The proxy verifies the test's HTTPS server when it terminates TLS for a proxy secret.
            Settings = new Dictionary<string, string> { ["Cordon__Runner__UidBase"] = "48000000", ["Cordon__Egress__UpstreamCaFile"] = Network.CaCertificatePath },
        };
        await Runner.InitializeAsync();
    }

    /// <summary>Runs a one-shot job with <paramref name="egress"/> as its allowlist and the test CA as <c>ca.pem</c> in its workspace.</summary>
    public async Task<JobOutcome> RunAsync(
        string language, string code, IEnumerable<string> egress, CancellationToken cancellationToken, long timeoutMs = 60_000, IEnumerable<Secret>? secrets = null)
    {
        var request = new RunJobRequest
        {
            Tenant = "egress",
            JobId = Guid.NewGuid().ToString("N"),
            Language = language,
            Files =
            {
                new Contracts.Runner.V1.File { Path = "", Content = ByteString.CopyFromUtf8(code) },
                new Contracts.Runner.V1.File { Path = "ca.pem", Content = ByteString.CopyFromUtf8(Network.CaCertificatePem) },
            },
            Egress = { egress },
            Limits = new Limits { TimeoutMs = timeoutMs },
            Secrets = { secrets ?? [] },
        };
        using var call = Runner.Client.RunJob(request, Runner.Auth, cancellationToken: cancellationToken);
        return await JobOutcome.ReadAsync(call, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Runner is not null)
        {
            await Runner.DisposeAsync();
        }

        if (Network is not null)
        {
            await Network.DisposeAsync();
        }
    }
}
