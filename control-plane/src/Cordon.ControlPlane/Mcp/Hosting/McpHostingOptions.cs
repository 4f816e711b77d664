namespace Cordon.ControlPlane.Mcp.Hosting;

/// <summary>How the MCP endpoint is hosted: transport mode and the hosts a browser may reach it under.</summary>
internal sealed class McpHostingOptions
{
    public const string SectionName = "Cordon:Mcp";

    /// <summary>
    /// True (default): every HTTP request stands alone, so any control-plane instance can serve it and nothing is
    /// kept between requests (Cordon's own state — sessions, jobs — lives in the store, addressed by explicit ids).
    /// False: the SDK keeps an MCP session per client in memory, which server-to-client requests need.
    /// </summary>
    public bool Stateless { get; set; } = true;

    /// <summary>
    /// Host names, besides loopback (<c>localhost</c>, <c>127.0.0.1</c>, <c>[::1]</c>), that requests may name in
    /// their <c>Host</c> header and browsers in their <c>Origin</c> — the public name of a deployment. Anything else
    /// is refused with 403, which is what defeats DNS rebinding.
    /// </summary>
    public IList<string> AllowedHosts { get; } = [];
}
