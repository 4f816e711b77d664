using System.Security.Cryptography;
using Cordon.Contracts.Runner.V1;
using Cordon.ControlPlane.Secrets.Redaction;
using Cordon.Encryption;

namespace Cordon.ControlPlane.DataProtection;

/// <summary>
/// What the control plane stores of an artifact the runner sent: ciphertext under the job's data key, always. The
/// runner's ciphertext is opened once here — its tags checked and the digest taken of the plaintext — and stored as
/// it came when nothing needs redacting. A job with secrets has its artifact redacted (which needs the plaintext)
/// and encrypted again under the same key, bound to its stored path; so does an artifact from a runner that predates
/// encryption and sent plaintext.
/// </summary>
internal static class ArtifactProtection
{
    public static StoredArtifact Seal(Artifact artifact, string storedPath, string tenant, string jobId, SecretRedactor redactor, byte[] dataKey)
    {
        var plaintext = artifact.Encrypted
            ? DecryptingStream.DecryptAll(artifact.Content.Span, dataKey, ArtifactContext.For(tenant, jobId, artifact.Path))
            : artifact.Content.ToByteArray();
        try
        {
            if (artifact.Encrypted && redactor.IsEmpty && storedPath == artifact.Path)
            {
                return new StoredArtifact(artifact.Content.Memory, plaintext.Length, Convert.ToHexStringLower(SHA256.HashData(plaintext)));
            }

            var stored = redactor.Redact(plaintext);
            var ciphertext = ChunkedEncryptor.Encrypt(stored, dataKey, ArtifactContext.For(tenant, jobId, storedPath));
            return new StoredArtifact(ciphertext, stored.Length, Convert.ToHexStringLower(SHA256.HashData(stored)));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
