namespace Cordon.EndToEnd.Mcp;

/// <summary>
/// The MCP test classes run one after another (the external clients they start are heavy on a small machine),
/// beside the REST tests, all on the one <see cref="StackFixture"/>.
/// </summary>
[CollectionDefinition(Name)]
public sealed class McpCollection
{
    public const string Name = "MCP";
}
