using Cordon.ControlPlane.Jobs;
using Cordon.ControlPlane.Mcp.Hosting;
using Cordon.ControlPlane.Runtimes;
using Cordon.ControlPlane.Sessions;
using ModelContextProtocol.Server;

namespace Cordon.ControlPlane.Mcp;

/// <summary>
/// Cordon as an MCP server: streamable HTTP at <c>/mcp</c>, stateless, behind the same bearer auth and tenancy as
/// /v1, with the tools of the Jobs, Sessions and Runtimes features.
/// </summary>
internal static class CordonMcpExtensions
{
    public const string Pattern = "/mcp";

    private const string Instructions =
        "Cordon runs untrusted code in isolated sandboxes (no network, bounded CPU, memory and time). "
        + "Use run_code for a one-shot program; the sandbox is gone afterwards. For work across several calls "
        + "(installed files, interpreter state), create_session, then run_in_session / write_file / read_file / "
        + "list_files with its sessionId, and close_session when done; idle sessions end by themselves. "
        + "A failing program is a normal result with isError true: read status, reason and stderr, then fix and retry. "
        + "list_runtimes names the languages.";

    /// <summary>The classes whose <c>[McpServerTool]</c> methods are Cordon's tools.</summary>
    public static readonly Type[] ToolTypes = [typeof(JobTools), typeof(SessionTools), typeof(RuntimeTools)];

    public static IHostApplicationBuilder AddCordonMcp(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<JobFollower>();
        builder.Services.AddSingleton<McpToolArguments>();
        builder.AddCordonMcpServer("cordon")
            .WithTools<JobTools>()
            .WithTools<SessionTools>()
            .WithTools<RuntimeTools>()
            .WithRequestFilters(filters => filters.AddCallToolFilter(McpToolErrors.Filter))
            // Tools carry [Authorize(Policy = scope)]: a token without the scope neither sees nor calls them.
            .AddAuthorizationFilters();
        builder.Services.Configure<McpServerOptions>(options => options.ServerInstructions = Instructions);
        return builder;
    }

    /// <summary>Maps <c>/mcp</c>: authenticated like /v1 (401 with <c>WWW-Authenticate</c> without a token).</summary>
    public static IEndpointConventionBuilder MapCordonMcp(this IEndpointRouteBuilder app) =>
        app.MapCordonMcpEndpoint(Pattern).RequireAuthorization();
}
