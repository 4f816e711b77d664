using Cordon.Contracts.Jobs;
using Cordon.ControlPlane.Tests.Fakes;
using Cordon.ControlPlane.Tests.Infrastructure;
using Cordon.ControlPlane.Tests.Storage;

namespace Cordon.ControlPlane.Tests.Jobs;

/// <summary>A job's artifacts through the API when the object store is a real S3-protocol server.</summary>
public sealed class S3ArtifactsTests : IAsyncLifetime
{
    private S3TestBucket _bucket = null!;
    private ControlPlaneFactory _factory = null!;
    private FakeRunnerHost _runner = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _bucket = await S3TestBucket.CreateAsync(Ct);
        (_factory, _runner) = await ControlPlaneFactory.StartAsync(_bucket.Settings("cordon/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _runner.DisposeAsync();
        await _bucket.DisposeAsync();
    }

    [Fact]
    public async Task Artifacts_AreStoredInTheBucket_AndServedFromIt_NotFromTheDataDirectory()
    {
        var client = _factory.ClientFor();

        var job = await (await client.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"artifact out/a.txt hello","artifacts":["out/*"]}"""), Ct)).ReadAsync<Job>();

        Assert.Equal("out/a.txt", Assert.Single(job.Artifacts).Path);
        Assert.Equal([$"cordon/acme/{job.Id}/out/a.txt"], await _bucket.KeysAsync(Ct));
        // The bucket holds ciphertext under the job's data key, never the plaintext.
        using (var stored = await _bucket.Client.GetObjectAsync(_bucket.Name, $"cordon/acme/{job.Id}/out/a.txt", Ct))
        using (var bytes = new MemoryStream())
        {
            await stored.ResponseStream.CopyToAsync(bytes, Ct);
            Assert.True(bytes.ToArray().AsSpan().StartsWith("CDE"u8));
            Assert.Equal(-1, bytes.ToArray().AsSpan().IndexOf("hello"u8));
        }

        Assert.Equal("hello", await client.GetStringAsync($"/v1/jobs/{job.Id}/artifacts/out/a.txt", Ct));
        Assert.Empty(Directory.EnumerateFiles(_factory.DataDir, "a.txt", SearchOption.AllDirectories)); // nothing kept locally
    }

    [Fact]
    public async Task Artifact_GoneFromTheBucket_IsNotFound()
    {
        var client = _factory.ClientFor();
        var job = await (await client.PostAsync("/v1/jobs", Http.Json("""{"language":"python","code":"artifact out/b.txt bye","artifacts":["out/*"]}"""), Ct)).ReadAsync<Job>();

        await _bucket.Client.DeleteObjectAsync(_bucket.Name, $"cordon/acme/{job.Id}/out/b.txt", Ct);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.GetAsync($"/v1/jobs/{job.Id}/artifacts/out/b.txt", Ct)).StatusCode);
    }
}
