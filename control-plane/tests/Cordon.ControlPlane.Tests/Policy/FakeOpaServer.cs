using System.Text.Json.Nodes;
using Cordon.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cordon.ControlPlane.Tests.Policy;

/// <summary>
/// A real HTTP server on a loopback port that answers <c>POST /v1/data/cordon/decision</c> the way OPA's data API
/// does — or, by <see cref="Mode"/>, slowly, with a 500, with garbage or with an undefined decision — and keeps the
/// inputs it was sent.
/// </summary>
internal sealed class FakeOpaServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeOpaServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public string Mode { get; set; } = "allow";

    public List<JsonNode> Inputs { get; } = [];

    public static async Task<FakeOpaServer> StartAsync(CancellationToken cancellationToken)
    {
        var url = FreePort.NextLoopbackUrl();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url.ToString());
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeOpaServer(app, url);
        app.MapPost("/v1/data/cordon/decision", server.DecideAsync);
        await app.StartAsync(cancellationToken);
        return server;
    }

    private async Task DecideAsync(HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        lock (Inputs)
        {
            Inputs.Add(body!["input"]!.DeepClone());
        }

        const string limits = """{"timeoutMs":5000,"memoryMb":128,"cpus":0.5,"pids":64,"outputBytes":4096,"diskMb":64}""";
        switch (Mode)
        {
            case "slow":
                await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
                break;
            case "500":
                context.Response.StatusCode = 500;
                await context.Response.WriteAsync("""{"code":"internal_error","message":"rego_type_error"}""");
                break;
            case "garbage":
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"result\": {\"allow\": tru");
                break;
            case "html":
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html>proxy error</html>");
                break;
            case "undefined":
                await context.Response.WriteAsync("{}");
                break;
            case "no-limits":
                await context.Response.WriteAsync("""{"result":{"allow":true,"reasons":[]}}""");
                break;
            case "deny":
                await context.Response.WriteAsync("""{"result":{"allow":false,"reasons":[{"rule":"runtime.denied","message":"Tenant 'acme' may not use runtime 'c'."}],"policyVersion":"sha256:abc"}}""");
                break;
            default:
                await context.Response.WriteAsync($$"""{"result":{"allow":true,"reasons":[{"rule":"runtime.allowed","message":"ok"}],"limits":{{limits}},"policyVersion":"sha256:def"},"decision_id":"x"}""");
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
