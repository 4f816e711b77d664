using System.Text.Json;
using Cordon.ControlPlane.Mcp.Hosting;
using Cordon.Mcp.ConformanceHost;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

// The conformance suite's fixture: Cordon's MCP plumbing (AddCordonMcpServer / MapCordonMcpEndpoint) serving the
// suite's test tools, resources and prompts at /mcp. Run: cordon-mcp-conformance-host --urls http://127.0.0.1:PORT
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddDistributedMemoryCache();
builder.AddCordonMcpServer("cordon-conformance-fixture")
    .WithTools<ConformanceTools>()
    .WithTools([JsonSchemaTool.Create()])
    .WithResources<ConformanceResources>()
    .WithPrompts<ConformancePrompts>()
    .WithDistributedCacheEventStreamStore()
    .WithSubscribeToResourcesHandler((_, _) => ValueTask.FromResult(new EmptyResult()))
    .WithUnsubscribeFromResourcesHandler((_, _) => ValueTask.FromResult(new EmptyResult()))
    .WithCompleteHandler((_, _) => ValueTask.FromResult(new CompleteResult { Completion = new Completion { Values = [], Total = 0, HasMore = false } }))
    .WithSetLoggingLevelHandler((_, _) => ValueTask.FromResult(new EmptyResult()));

var app = builder.Build();
app.MapCordonMcpEndpoint("/mcp");
app.MapGet("/healthz", () => TypedResults.Ok());
app.Run();
