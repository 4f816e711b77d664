using System.Diagnostics;
using Cordon.Contracts.Jobs;
using Cordon.ControlPlane.Policy;
using Cordon.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Tests.Policy;

/// <summary>The OPA adapter against a real HTTP peer answering like OPA, well and badly.</summary>
public sealed class OpaPolicyEngineTests : IAsyncLifetime
{
    private FakeOpaServer _opa = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _opa = await FakeOpaServer.StartAsync(Ct);

    public async ValueTask DisposeAsync() => await _opa.DisposeAsync();

    [Fact]
    public async Task Decide_Allow_ReadsLimitsReasonsAndVersion_AndSendsTheFullInput()
    {
        var decision = await Engine(_opa.Url).DecideAsync(Input(), Ct);

        Assert.True(decision.Allowed);
        Assert.Equal(["runtime.allowed"], decision.RuleIds);
        Assert.Equal(new ResourceLimits { TimeoutMs = 5000, MemoryMb = 128, Cpus = 0.5, Pids = 64, OutputBytes = 4096, DiskMb = 64 }, decision.Limits);
        Assert.Equal("sha256:def", decision.PolicyVersion);
        var input = Assert.Single(_opa.Inputs);
        Assert.Equal("job.create", input["action"]!.GetValue<string>());
        Assert.Equal("acme", input["principal"]!["tenant"]!.GetValue<string>());
        Assert.Equal("jobs:run", input["principal"]!["scopes"]![0]!.GetValue<string>());
        Assert.Equal("python", input["runtime"]!.GetValue<string>());
        Assert.Equal(20000, input["limits"]!["timeoutMs"]!.GetValue<long>());
        Assert.Equal("pypi.org:443", input["network"]!["egress"]![0]!.GetValue<string>());
        Assert.Equal("requests", input["dependencies"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("API_TOKEN", input["secrets"]![0]!.GetValue<string>());
        Assert.Equal(256, input["service"]!["runtimes"]!["python"]!["defaultLimits"]!["memoryMb"]!.GetValue<int>());
    }

    [Fact]
    public async Task Decide_Deny_CarriesTheRules()
    {
        _opa.Mode = "deny";
        var decision = await Engine(_opa.Url).DecideAsync(Input(), Ct);

        Assert.False(decision.Allowed);
        Assert.Equal(["runtime.denied"], decision.RuleIds);
        Assert.Equal("sha256:abc", decision.PolicyVersion);
    }

    [Theory]
    [InlineData("500")]
    [InlineData("garbage")]
    [InlineData("html")]
    [InlineData("undefined")]
    [InlineData("no-limits")]
    public async Task Decide_BadAnswer_FailsClosed(string mode)
    {
        _opa.Mode = mode;
        var decision = await Engine(_opa.Url).DecideAsync(Input(), Ct);

        Assert.False(decision.Allowed);
        Assert.Equal([PolicyRules.PolicyUnavailable], decision.RuleIds);
    }

    [Fact]
    public async Task Decide_SlowAnswer_FailsClosedAtTheTimeout()
    {
        _opa.Mode = "slow";
        var watch = Stopwatch.StartNew();
        var decision = await Engine(_opa.Url, timeoutMs: 300).DecideAsync(Input(), Ct);

        Assert.False(decision.Allowed);
        Assert.Equal([PolicyRules.PolicyUnavailable], decision.RuleIds);
        Assert.Contains("300 ms", decision.Reasons.Single().Message, StringComparison.Ordinal);
        Assert.InRange(watch.ElapsedMilliseconds, 250, 5000);
    }

    [Fact]
    public async Task Decide_NobodyListening_FailsClosed()
    {
        var decision = await Engine(FreePort.NextLoopbackUrl()).DecideAsync(Input(), Ct);

        Assert.False(decision.Allowed);
        Assert.Equal([PolicyRules.PolicyUnavailable], decision.RuleIds);
    }

    private static OpaPolicyEngine Engine(Uri url, int timeoutMs = 2000) =>
        new(new HttpClient(), Options.Create(new PolicyOptions { Engine = PolicyOptions.Opa, OpaUrl = url.ToString(), OpaTimeoutMs = timeoutMs }),
            NullLogger<OpaPolicyEngine>.Instance);

    private static PolicyInput Input() => new()
    {
        Action = PolicyActions.JobCreate,
        Principal = new PolicyPrincipal { Subject = "user-1", Tenant = "acme", Scopes = ["jobs:run"] },
        Runtime = "python",
        Limits = new ResourceLimits { TimeoutMs = 20000 },
        Network = new PolicyNetwork { Egress = ["pypi.org:443"] },
        Dependencies = [new PolicyDependency { Spec = "requests==2.32.3", Name = "requests", Version = "2.32.3" }],
        Secrets = ["API_TOKEN"],
        Service = new PolicyService
        {
            Runtimes = new Dictionary<string, PolicyRuntime>
            {
                ["python"] = new() { DefaultLimits = new ResourceLimits { TimeoutMs = 10000, MemoryMb = 256, Cpus = 1, Pids = 128, OutputBytes = 1 << 20, DiskMb = 128 } },
            },
            MaxLimits = new ResourceLimits { TimeoutMs = 300000, MemoryMb = 4096, Cpus = 4, Pids = 1024, OutputBytes = 1 << 26, DiskMb = 4096 },
        },
    };
}
