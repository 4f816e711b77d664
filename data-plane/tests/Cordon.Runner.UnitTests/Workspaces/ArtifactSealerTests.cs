using System.Security.Cryptography;
using Cordon.Contracts.Runner.V1;
using Cordon.Encryption;
using Cordon.Runner.Workspaces;
using Google.Protobuf;

namespace Cordon.Runner.UnitTests.Workspaces;

public sealed class ArtifactSealerTests
{
    [Fact]
    public void Seal_WithTheJobsKey_LeavesOnlyCiphertextBoundToTenantJobAndPath()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var request = new RunJobRequest { Tenant = "acme", JobId = "job_7", DataKey = ByteString.CopyFrom(key) };
        var artifact = new Artifact { Path = "out/a.txt", Content = ByteString.CopyFromUtf8("SECRET-PLAINTEXT") };

        ArtifactSealer.Seal(request, [artifact]);

        Assert.True(artifact.Encrypted);
        Assert.Equal(-1, artifact.Content.Span.IndexOf("SECRET"u8));
        Assert.Equal("SECRET-PLAINTEXT"u8.ToArray(), DecryptingStream.DecryptAll(artifact.Content.Span, key, ArtifactContext.For("acme", "job_7", "out/a.txt")));
        Assert.Throws<EncryptedDataException>(() => DecryptingStream.DecryptAll(artifact.Content.Span, key, ArtifactContext.For("acme", "job_8", "out/a.txt")));
    }

    [Fact]
    public void Seal_WithoutAKey_LeavesTheArtifactAsItIs()
    {
        var artifact = new Artifact { Path = "out/a.txt", Content = ByteString.CopyFromUtf8("hello") };

        ArtifactSealer.Seal(new RunJobRequest { Tenant = "acme", JobId = "job_7" }, [artifact]);

        Assert.False(artifact.Encrypted);
        Assert.Equal("hello", artifact.Content.ToStringUtf8());
    }
}
