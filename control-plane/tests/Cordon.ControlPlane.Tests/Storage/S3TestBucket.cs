using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Cordon.ControlPlane.Storage;

namespace Cordon.ControlPlane.Tests.Storage;

/// <summary>
/// A bucket of its own on the real S3-protocol server from <c>CORDON_TEST_S3</c> (scripts/services.sh starts s3rver),
/// emptied and removed on dispose. CI must have the server; a developer machine without it skips.
/// </summary>
internal sealed class S3TestBucket : IAsyncDisposable
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private S3TestBucket(string url, string name)
    {
        Url = url;
        Name = name;
        Client = new AmazonS3Client(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonS3Config { ServiceURL = url, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
    }

    public string Url { get; }

    public string Name { get; }

    /// <summary>A client of the test's own, to look at the bucket behind Cordon's back.</summary>
    public AmazonS3Client Client { get; }

    /// <summary>The control-plane settings that put its artifacts in this bucket under <paramref name="prefix"/>.</summary>
    public Dictionary<string, string?> Settings(string prefix = "") => new()
    {
        ["Cordon:ObjectStore:Provider"] = "s3",
        ["Cordon:ObjectStore:ServiceUrl"] = Url,
        ["Cordon:ObjectStore:Bucket"] = Name,
        ["Cordon:ObjectStore:Prefix"] = prefix,
        ["Cordon:ObjectStore:AccessKeyId"] = AccessKey,
        ["Cordon:ObjectStore:SecretAccessKey"] = SecretKey,
    };

    public ObjectStoreOptions Options(string prefix = "") => new()
    {
        Provider = "s3",
        ServiceUrl = Url,
        Bucket = Name,
        Prefix = prefix,
        AccessKeyId = AccessKey,
        SecretAccessKey = SecretKey,
    };

    public static async Task<S3TestBucket> CreateAsync(CancellationToken cancellationToken)
    {
        var url = Environment.GetEnvironmentVariable("CORDON_TEST_S3");
        if (string.IsNullOrEmpty(url))
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail("CORDON_TEST_S3 is not set; CI must run the S3 object-store tests (scripts/services.sh start).");
            }

            Assert.Skip("CORDON_TEST_S3 is not set; run: eval \"$(scripts/services.sh start)\"");
        }

        var bucket = new S3TestBucket(url, "cordon-" + Guid.NewGuid().ToString("N")[..20]);
        await bucket.Client.PutBucketAsync(bucket.Name, cancellationToken);
        return bucket;
    }

    public async Task<List<string>> KeysAsync(CancellationToken cancellationToken) =>
        [.. ((await Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Name }, cancellationToken)).S3Objects ?? []).Select(o => o.Key)];

    public async ValueTask DisposeAsync()
    {
        foreach (var key in await KeysAsync(CancellationToken.None))
        {
            await Client.DeleteObjectAsync(Name, key);
        }

        await Client.DeleteBucketAsync(Name);
        Client.Dispose();
    }
}
