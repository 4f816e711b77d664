using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Cordon.ControlPlane.Mcp;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Cordon.ControlPlane.Runtimes;

/// <summary>The <c>list_runtimes</c> MCP tool.</summary>
[McpServerToolType]
internal sealed class RuntimeTools
{
    [McpServerTool(Name = "list_runtimes", Title = "List languages", ReadOnly = true, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(RuntimeListResult))]
    [Description("Lists the languages Cordon can run now, with their versions and aliases: the values 'language' accepts "
        + "in run_code and create_session.")]
    public static CallToolResult ListRuntimes(RuntimeCatalog catalog)
    {
        var result = new RuntimeListResult { Runtimes = catalog.List() };
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = Describe(result) }],
            StructuredContent = JsonSerializer.SerializeToElement(result, McpJsonUtilities.DefaultOptions),
        };
    }

    private static string Describe(RuntimeListResult result)
    {
        var text = new StringBuilder();
        foreach (var runtime in result.Runtimes)
        {
            text.Append(CultureInfo.InvariantCulture, $"{runtime.Language} {runtime.Version}");
            if (runtime.Aliases.Count > 0)
            {
                text.Append(" (aliases: ").AppendJoin(", ", runtime.Aliases).Append(')');
            }

            text.Append('\n');
        }

        return text.Length == 0 ? "No runtimes are available now (no runner is up)." : text.ToString();
    }
}
