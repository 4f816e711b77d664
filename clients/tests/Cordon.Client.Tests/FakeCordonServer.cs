using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Cordon.Contracts.Audit;
using Cordon.Contracts.Files;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Json;
using Cordon.Contracts.Policy;
using Cordon.Contracts.Secrets;
using Cordon.Contracts.Service;
using Cordon.Contracts.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cordon.Client.Tests;

/// <summary>
/// A small real HTTP server on a free loopback port that speaks the shapes of the public API (and a scripted
/// MCP endpoint), so the client and the `cordon` process are tested over real sockets.
/// </summary>
internal sealed class FakeCordonServer : IAsyncDisposable
{
    public const string JobId = "job-1";
    public const string SessionId = "ses-1";

    private readonly WebApplication _app;

    private FakeCordonServer(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public string Environment { get; set; } = "Development";

    /// <summary>The events of the job's SSE stream, in order; ids are their 1-based positions.</summary>
    public List<(string Type, string Data)> Events { get; } = [];

    /// <summary>Released by a test to let the stream go on past <see cref="PauseAfterEvent"/>.</summary>
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When set, the stream waits for <see cref="Gate"/> after this many events.</summary>
    public int? PauseAfterEvent { get; set; }

    /// <summary>When set, the first connection of the stream is cut after this many events.</summary>
    public int? DropFirstConnectionAfter { get; set; }

    /// <summary>When set, every connection of the stream ends without the result event.</summary>
    public bool NeverSendResult { get; set; }

    public Job FinalJob { get; set; } = NewJob(JobStatus.Succeeded) with { ExitCode = 0 };

    public ConcurrentQueue<string> EventStreamLastEventIds { get; } = new();

    public ConcurrentQueue<string> Requests { get; } = new();

    public ConcurrentQueue<(string Body, Dictionary<string, string> Headers)> McpPosts { get; } = new();

    public ConcurrentDictionary<string, byte[]> Files { get; } = new();

    public CreateJobRequest? LastJobRequest { get; private set; }

    public ExecRequest? LastExecRequest { get; private set; }

    public string? LastAuthorization { get; private set; }

    public bool McpSessionDeleted { get; private set; }

    /// <summary>The policy documents PUT, by tenant, with the If-Match each came with.</summary>
    public ConcurrentDictionary<string, (string Body, string? IfMatch)> Policies { get; } = new();

    /// <summary>The audit records <c>GET /v1/audit</c> pages through, two a page, for <c>cordon audit export</c>.</summary>
    public List<AuditRecord> AuditRecords { get; } = [];

    /// <summary>The query strings <c>GET /v1/audit</c> was called with.</summary>
    public ConcurrentQueue<string> AuditQueries { get; } = new();

    /// <summary>Secrets as PUT (name → value), for the <c>cordon secrets</c> tests.</summary>
    public ConcurrentDictionary<string, string> Secrets { get; } = new();

    public static async Task<FakeCordonServer> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeCordonServer(app);
        server.Map(app);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address);
        return server;
    }

    public static Job NewJob(JobStatus status) => new()
    {
        Id = JobId,
        Status = status,
        Language = "python",
        CreatedAt = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
    };

    public static string Json(Job job) => JsonSerializer.Serialize(job, CordonJsonContext.Default.Job);

    public static string Output(string text) => JsonSerializer.Serialize(new JobOutputEvent { Data = text }, CordonJsonContext.Default.JobOutputEvent);

    public static string Status(JobStatus status) => JsonSerializer.Serialize(new JobStatusEvent { Status = status }, CordonJsonContext.Default.JobStatusEvent);

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private string PolicyJson(string tenant)
    {
        var stored = Policies.TryGetValue(tenant, out var policy);
        using var document = JsonDocument.Parse(stored ? policy.Body : "{}");
        return JsonSerializer.Serialize(
            new TenantPolicy
            {
                Tenant = tenant,
                Version = stored ? "sha256:" + new string('b', 64) : "sha256:" + new string('a', 64),
                IsDefault = !stored,
                UpdatedBy = stored ? "ops/admin" : null,
                UpdatedAt = stored ? DateTimeOffset.UnixEpoch : null,
                Document = document.RootElement.Clone(),
            },
            CordonJsonContext.Default.TenantPolicy);
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            Requests.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            LastAuthorization = context.Request.Headers.Authorization;
            await next(context);
        });

        app.MapGet("/v1/audit", (HttpContext context) =>
        {
            AuditQueries.Enqueue(context.Request.QueryString.Value ?? "");
            var start = int.TryParse(context.Request.Query["cursor"], out var cursor) ? cursor : 0;
            var page = new AuditPage { Items = [.. AuditRecords.Skip(start).Take(2)], Next = start + 2 < AuditRecords.Count ? (start + 2).ToString(System.Globalization.CultureInfo.InvariantCulture) : null };
            return Results.Text(JsonSerializer.Serialize(page, CordonJsonContext.Default.AuditPage), "application/json");
        });
        app.MapGet("/v1/audit/verify", () => Results.Text(JsonSerializer.Serialize(
            new AuditVerification { Valid = false, Events = 6, LastHash = new string('a', 64), BrokenSeq = 7, Reason = "record 7 was altered" },
            CordonJsonContext.Default.AuditVerification), "application/json"));
        app.MapGet("/v1/info", () => Results.Text(
            JsonSerializer.Serialize(new ServiceInfo { Version = "0.1.0", Environment = Environment, AuthBypass = false }, CordonJsonContext.Default.ServiceInfo),
            "application/json"));

        app.MapGet("/v1/admin/tenants/{tenant}/policy", (string tenant) => Results.Text(PolicyJson(tenant), "application/json"));
        app.MapPut("/v1/admin/tenants/{tenant}/policy", async (string tenant, HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            string? ifMatch = context.Request.Headers.IfMatch;
            Policies[tenant] = (body, ifMatch);
            return Results.Text(PolicyJson(tenant), "application/json");
        });

        app.MapPut("/v1/secrets/{name}", async (string name, HttpContext context) =>
        {
            var request = await JsonSerializer.DeserializeAsync(context.Request.Body, CordonJsonContext.Default.PutSecretRequest, context.RequestAborted);
            Secrets[name] = request!.Value;
            return Results.NoContent();
        });
        app.MapGet("/v1/secrets", () => Results.Text(JsonSerializer.Serialize<IReadOnlyList<SecretInfo>>(
            [.. Secrets.Keys.Order(StringComparer.Ordinal).Select(n => new SecretInfo { Name = n, CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch })],
            CordonJsonContext.Default.IReadOnlyListSecretInfo), "application/json"));
        app.MapDelete("/v1/secrets/{name}", (string name) => Secrets.TryRemove(name, out _)
            ? Results.NoContent()
            : Results.Text("""{"type":"https://cordon.dev/problems/not-found","title":"Not found","status":404,"detail":"There is no secret."}""", "application/problem+json", statusCode: 404));
        app.MapPost("/v1/admin/secrets/rotate-master-key", () => Results.Text(JsonSerializer.Serialize(
            new MasterKeyRotation { KeyId = "mk-new", PreviousKeyId = "mk-old", Rewrapped = Secrets.Count }, CordonJsonContext.Default.MasterKeyRotation), "application/json"));

        app.MapPost("/v1/jobs", async (HttpContext context) =>
        {
            var request = await JsonSerializer.DeserializeAsync(context.Request.Body, CordonJsonContext.Default.CreateJobRequest, context.RequestAborted);
            LastJobRequest = request;
            if (request!.Language == "cobol")
            {
                return Results.Text("""
                    {"type":"https://cordon.dev/problems/validation","title":"The request is invalid.","status":400,
                     "detail":"Unknown language 'cobol'.","errors":{"language":["Use a language from GET /v1/runtimes."]},"traceId":"00-abc"}
                    """, "application/problem+json", statusCode: 400);
            }

            return request.Wait == true
                ? Results.Text(Json(FinalJob), "application/json")
                : Results.Text(Json(NewJob(JobStatus.Queued)), "application/json", statusCode: 202);
        });

        app.MapGet("/v1/jobs/{id}", (string id) => id == JobId
            ? Results.Text(Json(FinalJob), "application/json")
            : Results.Text("""{"type":"https://cordon.dev/problems/not-found","title":"Not found","status":404,"detail":"No job 'x'."}""", "application/problem+json", statusCode: 404));

        app.MapGet("/v1/jobs", () => Results.Text(
            JsonSerializer.Serialize(new JobPage { Items = [new JobSummary { Id = FinalJob.Id, Status = FinalJob.Status, Language = FinalJob.Language, CreatedAt = FinalJob.CreatedAt }], Next = "c2" }, CordonJsonContext.Default.JobPage), "application/json"));

        app.MapPost("/v1/jobs/{id}/cancel", () => Results.Text(Json(NewJob(JobStatus.Cancelled)), "application/json"));

        app.MapGet("/v1/jobs/{id}/events", StreamEventsAsync);

        app.MapGet("/v1/jobs/{id}/artifacts/{**path}", (string path) => Results.Bytes(Encoding.UTF8.GetBytes("artifact:" + path)));

        app.MapGet("/v1/broken", () => Results.Text("<html>bad gateway</html>", "text/html", statusCode: 502));

        MapSessions(app);
        MapMcp(app);
    }

    private int _connections;

    private async Task StreamEventsAsync(HttpContext context)
    {
        var connection = Interlocked.Increment(ref _connections);
        var lastEventId = context.Request.Headers["Last-Event-ID"].ToString();
        EventStreamLastEventIds.Enqueue(lastEventId);
        var start = int.TryParse(lastEventId, out var last) ? last : 0;
        context.Response.ContentType = "text/event-stream";
        await context.Response.WriteAsync("retry: 50\n: a comment the parser ignores\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);

        var all = NeverSendResult ? Events : [.. Events, ("result", Json(FinalJob))];
        for (var index = start; index < all.Count; index++)
        {
            if (connection == 1 && DropFirstConnectionAfter is { } drop && index >= drop)
            {
                // Let what was written reach the client first: an abort drops output still in Kestrel's pipe.
                await Task.Delay(300, context.RequestAborted);
                context.Abort();
                return;
            }

            if (PauseAfterEvent is { } pause && index == pause)
            {
                await Gate.Task.WaitAsync(context.RequestAborted);
            }

            var (type, data) = all[index];
            await context.Response.WriteAsync($"id: {index + 1}\nevent: {type}\ndata: {data}\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    }

    private void MapSessions(WebApplication app)
    {
        var created = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var session = new Session { Id = SessionId, Status = SessionStatus.Ready, Language = "python", CreatedAt = created, ExpiresAt = created.AddHours(1), LastActiveAt = created };

        app.MapPost("/v1/sessions", () => Results.Text(JsonSerializer.Serialize(session, CordonJsonContext.Default.Session), "application/json", statusCode: 201));
        app.MapGet("/v1/sessions/{id}", () => Results.Text(JsonSerializer.Serialize(session, CordonJsonContext.Default.Session), "application/json"));
        app.MapDelete("/v1/sessions/{id}", (string id) => id == SessionId ? Results.NoContent()
            : Results.Text("""{"title":"Not found","status":404,"detail":"No session 'nope'."}""", "application/problem+json", statusCode: 404));
        app.MapPost("/v1/sessions/{id}/exec", async (HttpContext context) =>
        {
            LastExecRequest = await JsonSerializer.DeserializeAsync(context.Request.Body, CordonJsonContext.Default.ExecRequest, context.RequestAborted);
            var execution = NewJob(JobStatus.Failed) with { SessionId = SessionId, ExitCode = 4, Stdout = "exec out\n", Stderr = "exec err\n" };
            return Results.Text(Json(execution), "application/json");
        });
        app.MapPut("/v1/sessions/{id}/files/{**path}", async (string path, HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            Files[path] = buffer.ToArray();
            return Results.NoContent();
        });
        app.MapGet("/v1/sessions/{id}/files/{**path}", (string path) => Files.TryGetValue(path, out var bytes)
            ? Results.Bytes(bytes)
            : Results.Text("""{"title":"Not found","status":404,"detail":"No such file."}""", "application/problem+json", statusCode: 404));
        app.MapGet("/v1/sessions/{id}/files", (string? path) =>
        {
            IReadOnlyList<WorkspaceFile> list = [.. Files.Select(f => new WorkspaceFile { Path = f.Key, Size = f.Value.Length, IsDirectory = false, ModifiedAt = created })];
            return Results.Text(JsonSerializer.Serialize(list, CordonJsonContext.Default.IReadOnlyListWorkspaceFile), "application/json");
        });
    }

    /// <summary>
    /// A scripted streamable-HTTP MCP endpoint: initialize answers as an SSE stream carrying a progress
    /// notification before the result; other requests answer plain JSON; notifications get 202.
    /// </summary>
    private void MapMcp(WebApplication app)
    {
        app.MapPost("/mcp", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            // Kestrel reuses the header collection once the request ends: keep a copy.
            McpPosts.Enqueue((body, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            if (context.Request.Headers.Authorization == "Bearer expired")
            {
                context.Response.StatusCode = 401;
                context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
                context.Response.ContentType = "application/problem+json";
                await context.Response.WriteAsync("""{"type":"https://cordon.dev/problems/unauthorized","title":"Unauthorized","status":401,"detail":"The token expired."}""", context.RequestAborted);
                return;
            }

            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (!root.TryGetProperty("id", out var id))
            {
                context.Response.StatusCode = 202;
                return;
            }

            var method = root.GetProperty("method").GetString();
            if (method == "initialize")
            {
                context.Response.Headers["Mcp-Session-Id"] = "mcp-session-7";
                context.Response.ContentType = "text/event-stream";
                await context.Response.WriteAsync("id: 0\ndata: \n\n", context.RequestAborted);
                await context.Response.WriteAsync(
                    "event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":\"p1\",\"progress\":1}}\n\n",
                    context.RequestAborted);
                // Pretty-printed across data lines on purpose: stdout must still get it as one line.
                await context.Response.WriteAsync(
                    $"event: message\ndata: {{\"jsonrpc\":\"2.0\",\"id\":{id.GetRawText()},\n" +
                    "data:  \"result\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"serverInfo\":{\"name\":\"fake\",\"version\":\"1\"}}}\n\n",
                    context.RequestAborted);
                return;
            }

            if (context.Request.Headers["Mcp-Session-Id"] != "mcp-session-7")
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsync("missing session", context.RequestAborted);
                return;
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($"{{\"jsonrpc\":\"2.0\",\"id\":{id.GetRawText()},\"result\":{{\"tools\":[]}}}}", context.RequestAborted);
        });
        app.MapGet("/mcp", () => Results.StatusCode(405));
        app.MapDelete("/mcp", (HttpContext context) =>
        {
            McpSessionDeleted = context.Request.Headers["Mcp-Session-Id"] == "mcp-session-7";
            return Results.NoContent();
        });
    }
}
