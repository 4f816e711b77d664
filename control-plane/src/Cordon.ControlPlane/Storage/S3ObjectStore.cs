using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Storage;

/// <summary>
/// Artifacts in an S3-compatible bucket under <see cref="ObjectStoreOptions.Prefix"/>. Every replica of the control
/// plane sees the same objects, which the local directory cannot give. A put is one PUT of the whole object
/// (artifacts are bounded by the job's artifact limit); a reader streams the body.
/// </summary>
internal sealed class S3ObjectStore : IObjectStore, IDisposable
{
    private readonly AmazonS3Client _client;
    private readonly string _bucket;
    private readonly string _prefix;

    public S3ObjectStore(IOptions<ObjectStoreOptions> options)
    {
        var settings = options.Value;
        _bucket = settings.Bucket!;
        _prefix = settings.Prefix;
        var config = new AmazonS3Config
        {
            ForcePathStyle = settings.ForcePathStyle,
            AuthenticationRegion = settings.Region,
            // Checksums only where the operation needs one: S3-compatible servers differ in which of AWS's newer
            // trailing-checksum encodings they take, and the transport's integrity is TLS's.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (settings.ServiceUrl is { Length: > 0 } url)
        {
            config.ServiceURL = url;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(settings.Region);
        }

        _client = settings.AccessKeyId is { Length: > 0 } keyId
            ? new AmazonS3Client(new BasicAWSCredentials(keyId, settings.SecretAccessKey), config)
            : new AmazonS3Client(config);
    }

    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(content.ToArray(), writable: false);
        await _client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _bucket,
            Key = _prefix + key,
            InputStream = body,
            AutoCloseStream = false,
            UseChunkEncoding = false,
            ContentType = "application/octet-stream",
        }, cancellationToken);
    }

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client.GetObjectAsync(_bucket, _prefix + key, cancellationToken);
            return new OwnedResponseStream(response);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        // S3 answers 204 for a key that is not there, which is what the contract asks.
        await _client.DeleteObjectAsync(_bucket, _prefix + key, cancellationToken);

    public async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            // A listing of at most one key: the bucket is there and these credentials may read it.
            await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix, MaxKeys = 1 }, cancellationToken);
            return null;
        }
        catch (AmazonServiceException e)
        {
            return $"the S3 bucket '{_bucket}' does not answer ({e.StatusCode}, {e.ErrorCode ?? e.GetType().Name})";
        }
        catch (HttpRequestException e)
        {
            return $"the S3 endpoint for bucket '{_bucket}' cannot be reached ({e.HttpRequestError})";
        }
    }

    public void Dispose() => _client.Dispose();
}
