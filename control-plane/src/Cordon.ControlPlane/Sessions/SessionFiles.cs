using Cordon.Contracts.Files;
using Cordon.ControlPlane.DataProtection;
using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Requests;
using Cordon.ControlPlane.Scheduling;
using Cordon.ControlPlane.Secrets.Redaction;
using Cordon.Encryption;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using RunnerV1 = Cordon.Contracts.Runner.V1;

namespace Cordon.ControlPlane.Sessions;

/// <summary>The files of a session's <c>/workspace</c>, on the session's runner; each operation counts as activity.</summary>
internal sealed class SessionFiles(
    SessionStore store, RunnerRegistry registry, RunnerGateway gateway, SessionRedaction redaction, DataKeys keys, IOptions<SessionsOptions> options)
{
    private long MaxFileBytes => options.Value.MaxFileBytes;

    public async Task WriteAsync(string sessionId, string path, Stream content, CancellationToken cancellationToken)
    {
        path = WorkspacePaths.FromRoute(path);
        var session = await store.TouchAsync(sessionId, cancellationToken);
        var bytes = await ReadBoundedAsync(content, MaxFileBytes, cancellationToken);
        var request = new RunnerV1.WriteFilesRequest { SandboxId = session.SandboxId };
        request.Files.Add(new RunnerV1.File { Path = path, Content = ByteString.CopyFrom(bytes) });
        await gateway.WriteFilesAsync(Runner(session), request, cancellationToken);
    }

    public async Task<byte[]> ReadAsync(string sessionId, string path, CancellationToken cancellationToken)
    {
        path = WorkspacePaths.FromRoute(path);
        var session = await store.TouchAsync(sessionId, cancellationToken);
        // The file leaves the runner encrypted by the session's data key (destroyed when the session ends).
        var dataKey = await keys.GetOrCreateAsync(session.TenantId, session.Id, DataKeyScopes.Session, cancellationToken);
        var reply = await gateway.ReadFileAsync(Runner(session), new RunnerV1.ReadFileRequest
        {
            SandboxId = session.SandboxId,
            Path = path,
            MaxBytes = MaxFileBytes,
            DataKey = ByteString.CopyFrom(dataKey),
        }, cancellationToken);
        var content = reply.Encrypted
            ? DecryptingStream.DecryptAll(reply.Content.Span, dataKey, ArtifactContext.ForSessionFile(session.SandboxId, path))
            : reply.Content.ToByteArray();
        // A file the program wrote can hold an injected value as well as its output can.
        return (await redaction.ForAsync(session, cancellationToken)).Redact(content);
    }

    public async Task<IReadOnlyList<WorkspaceFile>> ListAsync(string sessionId, string? path, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(path))
        {
            path = WorkspacePaths.FromRoute(path);
        }

        var session = await store.TouchAsync(sessionId, cancellationToken);
        var reply = await gateway.ListFilesAsync(Runner(session), new RunnerV1.ListFilesRequest { SandboxId = session.SandboxId, Path = path ?? "" }, cancellationToken);
        var redactor = await redaction.ForAsync(session, cancellationToken);
        return [.. reply.Entries.Select(e => new WorkspaceFile
        {
            // The program names its files: a name can spell a value too.
            Path = redactor.Redact(e.Path),
            Size = e.Size,
            IsDirectory = e.IsDirectory,
            ModifiedAt = DateTimeOffset.FromUnixTimeMilliseconds(e.ModifiedAtUnixMs),
        })];
    }

    public async Task DeleteAsync(string sessionId, string path, CancellationToken cancellationToken)
    {
        path = WorkspacePaths.FromRoute(path);
        var session = await store.TouchAsync(sessionId, cancellationToken);
        await gateway.DeleteFileAsync(Runner(session), new RunnerV1.DeleteFileRequest { SandboxId = session.SandboxId, Path = path }, cancellationToken);
    }

    private RunnerState Runner(SessionEntity session)
    {
        var runner = registry.Find(session.RunnerId);
        return runner is { IsUp: true } ? runner : throw new RunnerUnavailableException(session.RunnerId, $"The runner '{session.RunnerId}' holding the session is down.");
    }

    private static async Task<byte[]> ReadBoundedAsync(Stream content, long max, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max)
            {
                throw new PayloadTooLargeException($"The file is larger than {max} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
