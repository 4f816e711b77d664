using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Mcp.Hosting;

/// <summary>Refuses to start with an allowed host that could never match a <c>Host</c> or <c>Origin</c> header.</summary>
internal sealed class McpHostingOptionsValidator : IValidateOptions<McpHostingOptions>
{
    public ValidateOptionsResult Validate(string? name, McpHostingOptions options)
    {
        var failures = options.AllowedHosts
            .Where(host => Uri.CheckHostName(host) == UriHostNameType.Unknown)
            .Select(host => $"{McpHostingOptions.SectionName}:AllowedHosts has '{host}', which is not a host name: "
                + "give the bare name clients use, e.g. 'cordon.example.com' (no scheme, port or path).")
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
