using System.ComponentModel.DataAnnotations;

namespace Cordon.ControlPlane.Storage;

/// <summary>
/// Where artifacts are kept (section <c>Cordon:ObjectStore</c>): <c>local</c> (default, files under the data
/// directory) or <c>s3</c>, any S3-compatible service — AWS, MinIO, Ceph, s3rver in the tests. Credentials come
/// from <see cref="AccessKeyId"/>/<see cref="SecretAccessKey"/> when set, else from the AWS SDK's usual chain
/// (<c>AWS_ACCESS_KEY_ID</c>, profiles, instance or pod roles). The bucket is the operator's: it is not created.
/// </summary>
internal sealed class ObjectStoreOptions : IValidatableObject
{
    public const string SectionName = "Cordon:ObjectStore";

    public string Provider { get; set; } = "local";

    /// <summary>The S3 endpoint, e.g. <c>https://s3.eu-west-1.amazonaws.com</c> or <c>http://minio:9000</c>; unset: AWS by region.</summary>
    public string? ServiceUrl { get; set; }

    public string? Bucket { get; set; }

    public string Region { get; set; } = "us-east-1";

    /// <summary>Prepended to every key (<c>cordon/</c>, say), so one bucket can serve several deployments.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>Path-style addressing (<c>endpoint/bucket/key</c>), which S3-compatible servers expect; AWS takes either.</summary>
    public bool ForcePathStyle { get; set; } = true;

    public string? AccessKeyId { get; set; }

    public string? SecretAccessKey { get; set; }

    public bool IsS3 => string.Equals(Provider, "s3", StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsS3 && !string.Equals(Provider, "local", StringComparison.OrdinalIgnoreCase))
        {
            yield return new ValidationResult($"{SectionName}:Provider is '{Provider}'; set it to 'local' (the default) or 's3'.", [nameof(Provider)]);
            yield break;
        }

        if (!IsS3)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(Bucket))
        {
            yield return new ValidationResult($"{SectionName}:Provider is 's3' but {SectionName}:Bucket is empty; set it to an existing bucket's name.", [nameof(Bucket)]);
        }

        if (ServiceUrl is { Length: > 0 } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            yield return new ValidationResult($"{SectionName}:ServiceUrl '{url}' is not an http(s) URL; set it to the S3 endpoint, e.g. https://s3.eu-west-1.amazonaws.com.", [nameof(ServiceUrl)]);
        }

        if (string.IsNullOrEmpty(AccessKeyId) != string.IsNullOrEmpty(SecretAccessKey))
        {
            yield return new ValidationResult($"{SectionName}:AccessKeyId and {SectionName}:SecretAccessKey go together: set both, or neither to use the AWS SDK's credential chain.", [nameof(AccessKeyId)]);
        }

        if (Prefix.StartsWith('/') || Prefix.Contains("//", StringComparison.Ordinal))
        {
            yield return new ValidationResult($"{SectionName}:Prefix '{Prefix}' must not start with '/' or hold an empty segment.", [nameof(Prefix)]);
        }
    }
}
