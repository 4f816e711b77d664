using System.Text.Json;
using ModelContextProtocol.Server;

namespace Cordon.Mcp.ConformanceHost;

/// <summary>The tool whose hand-written JSON Schema 2020-12 input schema must reach the client intact (SEP-1613).</summary>
internal static class JsonSchemaTool
{
    private const string InputSchema = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "$defs": {
            "address": { "type": "object", "properties": { "street": { "type": "string" }, "city": { "type": "string" } } }
          },
          "properties": { "name": { "type": "string" }, "address": { "$ref": "#/$defs/address" } },
          "additionalProperties": false
        }
        """;

    public static McpServerTool Create()
    {
        var tool = McpServerTool.Create(
            () => "JSON Schema 2020-12 tool called",
            new McpServerToolCreateOptions { Name = "json_schema_2020_12_tool", Description = "Tool with JSON Schema 2020-12 features" });
        tool.ProtocolTool.InputSchema = JsonDocument.Parse(InputSchema).RootElement.Clone();
        return tool;
    }
}
