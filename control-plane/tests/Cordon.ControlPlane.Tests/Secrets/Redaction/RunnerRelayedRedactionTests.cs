using System.Net;
using System.Text.Json;
using Cordon.Contracts.Jobs;
using Cordon.ControlPlane.Audit;
using Cordon.ControlPlane.Secrets.Redaction;
using Cordon.ControlPlane.Tests.Fakes;
using Cordon.ControlPlane.Tests.Infrastructure;
using Cordon.ControlPlane.Tests.Policy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cordon.ControlPlane.Tests.Secrets.Redaction;

/// <summary>
/// What a runner relays besides output — an agent's <c>error</c>, a signal name — carries an injected value only in
/// unusual failures, which a real sandbox cannot be made to produce on demand; the scripted runner relays them here.
/// </summary>
public sealed class RunnerRelayedRedactionTests : IAsyncLifetime
{
    private const string Value = RedactionStack.Value;
    private readonly RecordingAuditSink _audit = new();
    private ControlPlaneFactory _factory = null!;
    private FakeRunnerHost _runner = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        (_factory, _runner) = await ControlPlaneFactory.StartAsync(configureServices: services =>
        {
            services.AddSingleton<ISecretValueSource>(new RedactionStack.FixedSecretValues("acme", new Dictionary<string, string> { ["API_TOKEN"] = Value }));
            services.Replace(ServiceDescriptor.Singleton<IAuditSink>(_audit));
        });

    [Fact]
    public async Task Job_RunnerErrorQuotingTheValueBeyondTheCap_RedactedBeforeTheCapCutsIt()
    {
        // The value straddles the 1 KiB cap: redacting after the cap would keep its first half.
        var job = await RunAsync("error agent said: " + new string('e', 1000) + Value + " and more");

        Assert.Equal(JobStatus.Error, job.Status);
        // The cap may cut the marker, never the value.
        Assert.Contains("[REDACTED", job.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Value[..6], job.Error, StringComparison.Ordinal);
        var end = Assert.Single(_audit.Events, e => e.Action == AuditActions.JobEnd && e.ResourceId == job.Id);
        Assert.Equal(job.Error, end.Detail);
    }

    [Fact]
    public async Task Job_SignalAndArtifactNameQuotingTheValue_Redacted()
    {
        var job = await RunAsync($"signal {Value}\nartifact {Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(Value))}.txt {Value}\nout {Value}");

        Assert.Equal("[REDACTED:API_TOKEN]", job.Signal);
        Assert.Equal("[REDACTED:API_TOKEN].txt", Assert.Single(job.Artifacts).Path);
        Assert.Equal("[REDACTED:API_TOKEN]\n", job.Stdout);
        var content = await _factory.ClientFor().GetStringAsync(new Uri($"/v1/jobs/{job.Id}/artifacts/{Uri.EscapeDataString("[REDACTED:API_TOKEN].txt")}", UriKind.Relative), Ct);
        Assert.Equal("[REDACTED:API_TOKEN]", content);
    }

    [Fact]
    public async Task Job_OfAnotherTenant_NotGivenTheValue_OutputUntouched()
    {
        var response = await _factory.ClientFor("globex").PostAsync(new Uri("/v1/jobs", UriKind.Relative), Http.Json(JsonSerializer.Serialize(new { language = "python", code = "out " + Value })), Ct);
        var job = await response.ReadAsync<Job>();

        Assert.Equal(Value + "\n", job.Stdout);
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _runner.DisposeAsync();
    }

    private async Task<Job> RunAsync(string script)
    {
        var response = await _factory.ClientFor().PostAsync(new Uri("/v1/jobs", UriKind.Relative), Http.Json(JsonSerializer.Serialize(new { language = "python", code = script })), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadAsync<Job>();
    }
}
