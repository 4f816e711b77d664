using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cordon.Contracts.Problems;
using Cordon.ControlPlane.Tests.Fakes;
using Cordon.ControlPlane.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Cordon.ControlPlane.Tests.Policy;

/// <summary>The control plane configured with <c>Cordon:Policy:Engine=opa</c>, deciding through a real HTTP peer.</summary>
public sealed class OpaEngineApiTests : IAsyncLifetime
{
    private FakeOpaServer _opa = null!;
    private ControlPlaneFactory _factory = null!;
    private FakeRunnerHost _runner = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _opa = await FakeOpaServer.StartAsync(Ct);
        (_factory, _runner) = await ControlPlaneFactory.StartAsync(new Dictionary<string, string?>
        {
            ["Cordon:Policy:Engine"] = "opa",
            ["Cordon:Policy:OpaUrl"] = _opa.Url.ToString(),
            // Generous: a loaded test machine is slow to make the first call; "slow" answers after 10 s.
            ["Cordon:Policy:OpaTimeoutMs"] = "5000",
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _runner.DisposeAsync();
        await _opa.DisposeAsync();
    }

    [Fact]
    public async Task Job_AllowedByOpa_RunsWithOpasLimits()
    {
        var response = await _factory.ClientFor("acme").PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"out a","limits":{"memoryMb":900}}"""), Ct);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        var limits = _runner.State.LastRunJob!.Limits;
        Assert.Equal((5000L, 128, 0.5, 64, 4096L, 64), (limits.TimeoutMs, limits.MemoryMb, limits.Cpus, limits.Pids, limits.OutputBytes, limits.DiskMb));
        var input = Assert.Single(_opa.Inputs);
        Assert.Equal(900, input["limits"]!["memoryMb"]!.GetValue<int>());
        Assert.Equal("user-1", input["principal"]!["subject"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("deny", "runtime.denied")]
    [InlineData("500", "policy_unavailable")]
    [InlineData("slow", "policy_unavailable")]
    public async Task Session_OpaDeniesOrFails_403NamingTheRule(string mode, string rule)
    {
        _opa.Mode = mode;
        var response = await _factory.ClientFor("acme").PostAsync("/v1/sessions", Http.Json("""{"language":"python"}"""), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>(Ct);
        Assert.Equal(ProblemTypes.PolicyDenied, problem!.Type);
        Assert.Equal([rule], ((JsonElement)problem.Extensions["rules"]!).EnumerateArray().Select(r => r.GetString()));
        Assert.Empty(_runner.State.Sandboxes);
    }
}
