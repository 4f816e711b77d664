using Cordon.Contracts.Runner.V1;
using Cordon.Encryption;
using Google.Protobuf;

namespace Cordon.Runner.Workspaces;

/// <summary>
/// Encrypts a job's collected artifacts (and a session's files read out) by the data key the control plane sent with
/// the call, before they leave the runner: what crosses the wire and lands in object storage is ciphertext only.
/// Without a key (an older control plane, the local <c>exec</c> command) they go as they are, marked so.
/// </summary>
internal static class ArtifactSealer
{
    public static void Seal(RunJobRequest request, IEnumerable<Artifact> artifacts)
    {
        if (request.DataKey.IsEmpty)
        {
            return;
        }

        var key = request.DataKey.Span;
        foreach (var artifact in artifacts)
        {
            var context = ArtifactContext.For(request.Tenant, request.JobId, artifact.Path);
            artifact.Content = UnsafeByteOperations.UnsafeWrap(ChunkedEncryptor.Encrypt(artifact.Content.Span, key, context));
            artifact.Encrypted = true;
        }
    }

    /// <summary>A session file read out: encrypted by the session's data key when the request carries one.</summary>
    public static ReadFileReply Seal(ReadFileRequest request, byte[] content) =>
        request.DataKey.IsEmpty
            ? new ReadFileReply { Content = ByteString.CopyFrom(content) }
            : new ReadFileReply
            {
                Content = UnsafeByteOperations.UnsafeWrap(ChunkedEncryptor.Encrypt(content, request.DataKey.Span, ArtifactContext.ForSessionFile(request.SandboxId, request.Path))),
                Encrypted = true,
            };
}
