using System.Net;
using System.Net.Http.Json;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Problems;
using Cordon.Contracts.Secrets;
using Cordon.ControlPlane.Secrets;
using Cordon.ControlPlane.Tests.Fakes;
using Cordon.ControlPlane.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Cordon.ControlPlane.Tests.Secrets;

/// <summary>
/// A control plane restarted on the same database with another master key starts, lists, and refuses to inject in
/// words (a job ends <c>error</c>, a session is a 503) — no crash, no 500.
/// </summary>
public sealed class WrongMasterKeyTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cordon-wrongkey-").FullName;
    private FakeRunnerHost _runner = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string KeyFile => Path.Combine(_dir, "master.key");

    public async ValueTask InitializeAsync() => _runner = await FakeRunnerHost.StartAsync(Ct);

    public async ValueTask DisposeAsync()
    {
        await _runner.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task AnotherMasterKey_StartsAndFailsToDecryptInWords()
    {
        MasterKeyFile.CreateNew(KeyFile);
        await using (var first = await StartAsync())
        {
            var client = first.ClientFor("acme", "secrets:write");
            (await client.PutAsync("/v1/secrets/API_TOKEN", Http.Json("""{"value":"tok"}"""), Ct)).EnsureSuccessStatusCode();
            (await first.ClientFor("ops", "admin").PutAsync("/v1/admin/tenants/acme/policy", Http.Json("""{"secrets":["API_TOKEN"]}"""), Ct)).EnsureSuccessStatusCode();
        }

        File.Delete(KeyFile);
        MasterKeyFile.CreateNew(KeyFile);
        await using var second = await StartAsync();
        var acme = second.ClientFor("acme", "secrets:write jobs:run sessions:use");

        Assert.Equal(["API_TOKEN"], (await (await acme.GetAsync("/v1/secrets", Ct)).ReadAsync<IReadOnlyList<SecretInfo>>()).Select(s => s.Name));
        var job = await (await acme.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"1","secrets":["API_TOKEN"]}"""), Ct)).ReadAsync<Job>();
        Assert.Equal(JobStatus.Error, job.Status);
        Assert.Contains("master key", job.Error, StringComparison.Ordinal);
        Assert.Null(_runner.State.LastRunJob);

        var session = await acme.PostAsync("/v1/sessions", Http.Json("""{"language":"python","secrets":["API_TOKEN"]}"""), Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, session.StatusCode);
        var problem = await session.Content.ReadFromJsonAsync<ProblemDetails>(Ct);
        Assert.Equal(ProblemTypes.Unavailable, problem!.Type);
        Assert.Contains("master key file was replaced", problem.Detail, StringComparison.Ordinal);
        Assert.Null(_runner.State.LastCreateSandbox);

        // Writing a new value under the current key works again.
        (await acme.PutAsync("/v1/secrets/API_TOKEN", Http.Json("""{"value":"tok2"}"""), Ct)).EnsureSuccessStatusCode();
        var retried = await (await acme.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"1","secrets":["API_TOKEN"]}"""), Ct)).ReadAsync<Job>();
        Assert.NotEqual(JobStatus.Error, retried.Status);
        Assert.Equal("tok2", _runner.State.LastRunJob!.Secrets.Single().Value.ToStringUtf8());
    }

    private async Task<ControlPlaneFactory> StartAsync()
    {
        var factory = new ControlPlaneFactory(_runner, new Dictionary<string, string?>
        {
            ["Cordon:DataDir"] = _dir,
            ["Cordon:Secrets:MasterKeyFile"] = KeyFile,
        });
        await factory.WaitForRunnerAsync();
        return factory;
    }
}
