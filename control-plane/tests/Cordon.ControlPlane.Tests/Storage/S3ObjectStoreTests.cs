using Cordon.ControlPlane.Storage;

namespace Cordon.ControlPlane.Tests.Storage;

/// <summary>The object-store contract against a real S3-protocol server, with keys under a prefix.</summary>
public sealed class S3ObjectStoreTests : ObjectStoreContractTests
{
    private S3TestBucket _bucket = null!;
    private S3ObjectStore _s3 = null!;

    public override async ValueTask InitializeAsync()
    {
        _bucket = await S3TestBucket.CreateAsync(Ct);
        _s3 = new S3ObjectStore(Microsoft.Extensions.Options.Options.Create(_bucket.Options("deployment-a/")));
        Store = _s3;
    }

    public override async ValueTask DisposeAsync()
    {
        _s3.Dispose();
        await _bucket.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Put_WritesUnderThePrefix()
    {
        await Store.PutAsync("acme/job_9/out/a.txt", "hi"u8.ToArray(), Ct);

        Assert.Equal(["deployment-a/acme/job_9/out/a.txt"], await _bucket.KeysAsync(Ct));
    }

    [Fact]
    public async Task Check_ReadyForTheBucket_NamesABucketThatIsNot()
    {
        using var missing = new S3ObjectStore(Microsoft.Extensions.Options.Options.Create(new ObjectStoreOptions
        {
            Provider = "s3",
            ServiceUrl = _bucket.Url,
            Bucket = "no-such-bucket-" + Guid.NewGuid().ToString("N")[..8],
            AccessKeyId = S3TestBucket.AccessKey,
            SecretAccessKey = S3TestBucket.SecretKey,
        }));

        Assert.Null(await _s3.CheckAsync(Ct));
        Assert.Contains("no-such-bucket-", await missing.CheckAsync(Ct), StringComparison.Ordinal);
    }
}
