using System.Net.Http.Headers;
using Cordon.Contracts.Files;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Json;
using Cordon.Contracts.Sessions;

namespace Cordon.Client;

public sealed partial class CordonClient
{
    /// <summary><c>POST /v1/sessions</c>: starts a stateful sandbox.</summary>
    public Task<Session> CreateSessionAsync(CreateSessionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendJsonAsync(HttpMethod.Post, "v1/sessions", request, CordonJsonContext.Default.CreateSessionRequest,
            CordonJsonContext.Default.Session, null, cancellationToken);
    }

    /// <summary><c>GET /v1/sessions/{id}</c>.</summary>
    public Task<Session> GetSessionAsync(string sessionId, CancellationToken cancellationToken = default) =>
        GetJsonAsync(SessionPath(sessionId), CordonJsonContext.Default.Session, cancellationToken);

    /// <summary><c>DELETE /v1/sessions/{id}</c>: destroys the sandbox and wipes its workspace.</summary>
    public async Task DeleteSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, SessionPath(sessionId));
        await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>POST /v1/sessions/{id}/exec</c>: runs a shell command or code in the session; the execution has
    /// the same fields as a job.</summary>
    public Task<Job> ExecAsync(string sessionId, ExecRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendJsonAsync(HttpMethod.Post, SessionPath(sessionId) + "/exec", request, CordonJsonContext.Default.ExecRequest,
            CordonJsonContext.Default.Job, null, cancellationToken);
    }

    /// <summary><c>PUT /v1/sessions/{id}/files/{path}</c>: writes <paramref name="content"/> to a workspace file.</summary>
    public async Task PutFileAsync(string sessionId, string path, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var body = new StreamContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var request = new HttpRequestMessage(HttpMethod.Put, FilePath(sessionId, path)) { Content = body };
        await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /v1/sessions/{id}/files/{path}</c>: the bytes of a workspace file.</summary>
    public async Task<byte[]> GetFileAsync(string sessionId, string path, CancellationToken cancellationToken = default)
    {
        using var buffer = new MemoryStream();
        await DownloadFileAsync(sessionId, path, buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    /// <summary><c>GET /v1/sessions/{id}/files/{path}</c>, copied into <paramref name="destination"/>.</summary>
    public Task DownloadFileAsync(string sessionId, string path, Stream destination, CancellationToken cancellationToken = default) =>
        CopyToAsync(FilePath(sessionId, path), destination, cancellationToken);

    /// <summary><c>GET /v1/sessions/{id}/files?path=dir</c>: the entries of a workspace directory.</summary>
    /// <param name="sessionId">The session.</param>
    /// <param name="path">Directory relative to <c>/workspace</c>; null: the workspace itself.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<IReadOnlyList<WorkspaceFile>> ListFilesAsync(string sessionId, string? path = null, CancellationToken cancellationToken = default)
    {
        var uri = SessionPath(sessionId) + "/files" + (string.IsNullOrEmpty(path) ? "" : "?path=" + Uri.EscapeDataString(path));
        return GetJsonAsync(uri, CordonJsonContext.Default.IReadOnlyListWorkspaceFile, cancellationToken);
    }

    /// <summary><c>DELETE /v1/sessions/{id}/files/{path}</c>.</summary>
    public async Task DeleteFileAsync(string sessionId, string path, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, FilePath(sessionId, path));
        await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private static string SessionPath(string sessionId) => "v1/sessions/" + Uri.EscapeDataString(sessionId);

    private static string FilePath(string sessionId, string path) => SessionPath(sessionId) + "/files/" + EscapePath(path);
}
