using System.Reflection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;

namespace Cordon.ControlPlane.Mcp.Hosting;

/// <summary>
/// The MCP plumbing shared by Cordon's <c>/mcp</c> and the conformance fixture host: server identity, streamable
/// HTTP transport mode from <see cref="McpHostingOptions"/>, the host validator and the call-tool filters.
/// </summary>
internal static class McpHostingExtensions
{
    public static IMcpServerBuilder AddCordonMcpServer(this IHostApplicationBuilder builder, string serverName)
    {
        builder.Services.AddOptions<McpHostingOptions>()
            .Bind(builder.Configuration.GetSection(McpHostingOptions.SectionName))
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<McpHostingOptions>, McpHostingOptionsValidator>());
        builder.Services.TryAddSingleton<McpHostValidator>();

        var version = typeof(McpHostingExtensions).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        builder.Services.AddOptions<HttpServerTransportOptions>()
            .Configure<IOptions<McpHostingOptions>>((transport, hosting) => transport.Stateless = hosting.Value.Stateless);

        return builder.Services
            .AddMcpServer(options => options.ServerInfo = new Implementation { Name = serverName, Version = version })
            .WithHttpTransport()
            .WithRequestFilters(filters => filters.AddCallToolFilter(McpToolCallLogging.Filter));
    }
}
