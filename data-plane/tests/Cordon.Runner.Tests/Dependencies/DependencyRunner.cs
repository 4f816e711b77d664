using Cordon.Contracts.Runner.V1;
using Cordon.TestSupport.Packages;
using Google.Protobuf;

namespace Cordon.Runner.Tests.Dependencies;

/// <summary>
/// A test package registry (python and npm, <see cref="TestPackageRegistry.WithTestPackages"/>) on loopback and a
/// real runner configured to install from it.
/// </summary>
public sealed class DependencyRunner : IAsyncLifetime
{
    public TestPackageRegistry Registry { get; private set; } = null!;

    public RunnerProcess Runner { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Registry = TestPackageRegistry.WithTestPackages();
        Runner = new RunnerProcess
        {
            Settings = new Dictionary<string, string>
            {
                ["Cordon__Runner__UidBase"] = "52000000",
                ["Cordon__Dependencies__PythonIndexUrl"] = Registry.PythonIndexUrl,
                ["Cordon__Dependencies__NpmRegistryUrl"] = Registry.NpmRegistryUrl,
            },
        };
        await Runner.InitializeAsync();
    }

    public async Task<JobOutcome> RunAsync(string language, string code, IEnumerable<string> dependencies, IEnumerable<PackageRule> rules, CancellationToken cancellationToken)
    {
        var request = new RunJobRequest
        {
            Tenant = "deps",
            JobId = Guid.NewGuid().ToString("N"),
            Language = language,
            Files = { new Contracts.Runner.V1.File { Path = "", Content = ByteString.CopyFromUtf8(code) } },
            Dependencies = { dependencies },
            PackageRules = { rules },
            Limits = new Limits { TimeoutMs = 30_000 },
        };
        using var call = Runner.Client.RunJob(request, Runner.Auth, cancellationToken: cancellationToken);
        return await JobOutcome.ReadAsync(call, cancellationToken);
    }

    public static PackageRule Rule(string name, string constraint = "") => new() { Name = name, Constraint = constraint };

    public async ValueTask DisposeAsync()
    {
        if (Runner is not null)
        {
            await Runner.DisposeAsync();
        }

        if (Registry is not null)
        {
            await Registry.DisposeAsync();
        }
    }
}
