using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Secrets;
using Cordon.Contracts.Sessions;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.Jobs;
using Cordon.ControlPlane.Mcp;
using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Requests;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Cordon.ControlPlane.Sessions;

/// <summary>
/// The session MCP tools: a sandbox kept between calls, addressed by an explicit <c>sessionId</c> argument (the MCP
/// transport is stateless). Sessions opened here end by idle timeout and TTL like any other.
/// </summary>
[McpServerToolType]
internal sealed class SessionTools
{
    private const string SessionIdDescription = "The id create_session returned.";

    [McpServerTool(Name = "create_session", Title = "Open a sandbox session", Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(SessionResult))]
    [Description("Opens a sandbox that persists between calls: files stay in /workspace and, with run_in_session 'code', "
        + "interpreter state (variables, imports) carries over. Returns a sessionId for the other session tools. The session "
        + "ends by itself after idleTimeoutSec without activity or at ttlSec at the latest; call close_session when done.")]
    [Authorize(Policy = Scopes.SessionsUse)]
    public static async Task<CallToolResult> CreateSessionAsync(
        SessionCreator sessions,
        IOptions<SessionsOptions> options,
        [Description("Language or alias: python, javascript, bash, c, cpp (list_runtimes has them all).")] string language,
        [Description("Resource limits of the sandbox; limits.timeoutMs is the default timeout of each run_in_session.")] LimitsInput? limits = null,
        [Description("Seconds without a run or file operation after which the session ends (default 600).")] int? idleTimeoutSec = null,
        [Description("Maximum life of the session in seconds (default 3600).")] int? ttlSec = null,
        [Description("Names of the tenant's secrets the program gets as environment variables (only those its policy allows); their values never come back: every form of them is redacted from what the tools return.")] IReadOnlyList<string>? secrets = null,
        [Description("Secrets the program uses without ever seeing them: its environment variable holds a placeholder that the egress proxy replaces with the value in request headers to the listed hosts only (e.g. send 'Authorization: Bearer $API_TOKEN').")] IReadOnlyList<ProxySecretInput>? proxySecrets = null,
        [Description("Destinations host:port the session's programs may reach (HTTP and HTTPS, through the egress proxy: HTTP_PROXY is set), e.g. ['pypi.org:443']; only those the tenant's policy allows. Without it the sandbox has no network at all.")] IReadOnlyList<string>? egress = null,
        CancellationToken cancellationToken = default)
    {
        var session = await sessions.CreateAsync(
            new CreateSessionRequest
            {
                Language = language,
                Limits = limits?.ToContract(),
                IdleTimeoutSec = idleTimeoutSec,
                TtlSec = ttlSec,
                Secrets = secrets is null && proxySecrets is null ? null : [.. (secrets ?? []).Select(SecretRequest.Named), .. (proxySecrets ?? []).Select(p => p.ToContract())],
                Network = egress is null ? null : new NetworkRequest { Egress = egress },
            },
            cancellationToken);
        var result = SessionResult.From(session, idleTimeoutSec ?? options.Value.DefaultIdleTimeoutSec);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"Session {result.SessionId} is ready ({result.Language}). It ends after {result.IdleTimeoutSec} s without activity "
            + $"or at {result.ExpiresAt:u} at the latest; close it with close_session when done.");
        return Structured(text, result);
    }

    [McpServerTool(Name = "run_in_session", Title = "Run in a session", Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ExecutionResult))]
    [Description("Runs a shell command or code in an open session and returns stdout, stderr, exit code and status. "
        + "'code' runs in the session's persistent interpreter (state carries over between calls); 'command' is a shell "
        + "command in /workspace (e.g. 'ls -la', 'gcc main.c && ./a.out'). Give exactly one. One run at a time per session. "
        + "A failing program is a normal result with isError true: read status, reason and stderr.")]
    [Authorize(Policy = Scopes.SessionsUse)]
    public static async Task<CallToolResult> RunInSessionAsync(
        SessionExecutions sessions,
        JobFollower follower,
        RequestContext<CallToolRequestParams> request,
        IProgress<ProgressNotificationValue> progress,
        [Description(SessionIdDescription)] string sessionId,
        [Description("Code in the session's language, run in its persistent interpreter.")] string? code = null,
        [Description("A shell command, run by /bin/sh -c in /workspace.")] string? command = null,
        [Description("Standard input, passed byte-exact.")] string? stdin = null,
        [Description("Wall-clock timeout of this run in milliseconds; default the session's limits.timeoutMs.")] long? timeoutMs = null,
        CancellationToken cancellationToken = default)
    {
        var job = await sessions.ExecAsync(
            sessionId, new ExecRequest { Code = code, Command = command, Stdin = stdin, TimeoutMs = timeoutMs, Wait = false }, storeDenial: false, cancellationToken);
        var finished = await follower.FollowAsync(job, request.Params?.ProgressToken is null ? null : progress, cancellationToken);
        return ExecutionResults.ToToolResult(ExecutionResults.From(finished), []);
    }

    [McpServerTool(Name = "write_file", Title = "Write a file into a session", Destructive = true, Idempotent = true, OpenWorld = false)]
    [Description("Writes a file into the session's /workspace, creating directories as needed and replacing an existing file.")]
    [Authorize(Policy = Scopes.FilesReadWrite)]
    public static async Task<string> WriteFileAsync(
        SessionFiles files,
        [Description(SessionIdDescription)] string sessionId,
        [Description("Path relative to /workspace, e.g. 'data/input.csv'; no '..' and no absolute paths.")] string path,
        [Description("The content, as text or base64 (see encoding).")] string content,
        [Description("'utf8' (default) or 'base64' for binary content.")] string? encoding = null,
        CancellationToken cancellationToken = default)
    {
        var bytes = Decode(content, encoding);
        using var stream = new MemoryStream(bytes, writable: false);
        await files.WriteAsync(sessionId, path, stream, cancellationToken);
        return string.Create(CultureInfo.InvariantCulture, $"Wrote {bytes.Length} bytes to /workspace/{path}.");
    }

    [McpServerTool(Name = "read_file", Title = "Read a file from a session", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Reads a file from the session's /workspace. Text comes back as text, images (PNG, JPEG, GIF, WebP) as "
        + "image content, other binary files as base64.")]
    [Authorize(Policy = Scopes.FilesReadWrite)]
    public static async Task<CallToolResult> ReadFileAsync(
        SessionFiles files,
        [Description(SessionIdDescription)] string sessionId,
        [Description("Path relative to /workspace.")] string path,
        CancellationToken cancellationToken = default)
    {
        var bytes = await files.ReadAsync(sessionId, path, cancellationToken);
        if (ImageArtifacts.MimeTypeOf(path) is { } mimeType)
        {
            return new CallToolResult { Content = [ImageContentBlock.FromBytes(bytes, mimeType)] };
        }

        var text = ContentEncodings.TryDecodeUtf8(bytes) is { } utf8
            ? utf8
            : $"(binary, {bytes.Length.ToString(CultureInfo.InvariantCulture)} bytes, base64)\n{Convert.ToBase64String(bytes)}";
        return new CallToolResult { Content = [new TextContentBlock { Text = text }] };
    }

    [McpServerTool(Name = "list_files", Title = "List a session's files", ReadOnly = true, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(FileListResult))]
    [Description("Lists a directory of the session's /workspace (default /workspace itself).")]
    [Authorize(Policy = Scopes.FilesReadWrite)]
    public static async Task<CallToolResult> ListFilesAsync(
        SessionFiles files,
        [Description(SessionIdDescription)] string sessionId,
        [Description("Directory relative to /workspace; omit for /workspace.")] string? path = null,
        CancellationToken cancellationToken = default)
    {
        var entries = await files.ListAsync(sessionId, path, cancellationToken);
        var text = new StringBuilder();
        foreach (var entry in entries)
        {
            if (entry.IsDirectory)
            {
                text.Append(entry.Path).Append("/\n");
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"{entry.Path} ({entry.Size} bytes)\n");
            }
        }

        return Structured(text.Length == 0 ? "(empty)" : text.ToString(), new FileListResult { Path = path ?? "", Entries = entries });
    }

    [McpServerTool(Name = "close_session", Title = "Close a session", Destructive = true, Idempotent = true, OpenWorld = false)]
    [Description("Closes a session: its sandbox is destroyed and its workspace wiped. Closing an ended session does nothing.")]
    [Authorize(Policy = Scopes.SessionsUse)]
    public static async Task<string> CloseSessionAsync(
        SessionLifecycle sessions,
        [Description(SessionIdDescription)] string sessionId,
        CancellationToken cancellationToken = default)
    {
        await sessions.DeleteAsync(sessionId, cancellationToken);
        return $"Session {sessionId} is closed.";
    }

    private static CallToolResult Structured<T>(string text, T result) => new()
    {
        Content = [new TextContentBlock { Text = text }],
        StructuredContent = JsonSerializer.SerializeToElement(result, McpJsonUtilities.DefaultOptions),
    };

    private static byte[] Decode(string content, string? encoding)
    {
        // Tools are called by models: the encoding's spelling is taken leniently.
        var decoded = ContentEncodings.Decode(content, encoding?.ToLowerInvariant() switch
        {
            null or "" or "utf-8" => ContentEncodings.Utf8,
            var named => named,
        });
        if (decoded.EncodingProblem is not null)
        {
            throw RequestValidationException.For("encoding", "encoding must be 'utf8' or 'base64'.");
        }

        return decoded.Bytes ?? throw RequestValidationException.For("content", decoded.ContentProblem ?? "The content cannot be decoded.");
    }
}
