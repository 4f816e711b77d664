using System.ComponentModel;
using Cordon.Contracts.Secrets;

namespace Cordon.ControlPlane.Mcp;

/// <summary>A secret in proxy mode for <c>run_code</c> and <c>create_session</c>: the program holds only a placeholder.</summary>
internal sealed record ProxySecretInput
{
    [Description("The tenant secret's name; the environment variable of that name holds a random placeholder, never the value.")]
    public required string Name { get; init; }

    [Description("host:port destinations, e.g. ['api.example.com:443']: the egress proxy puts the value in place of the placeholder in the request headers sent there, and nowhere else. They must be destinations the tenant's policy allows.")]
    public required IReadOnlyList<string> Hosts { get; init; }

    public SecretRequest ToContract() => new() { Name = Name, Mode = SecretRequest.ProxyMode, Hosts = Hosts };
}
