namespace Cordon.Runner.Egress;

/// <summary>
/// A secret in proxy mode: the sandbox holds only <see cref="Placeholder"/>; the proxy writes <see cref="Value"/> in
/// its place in the request headers of connections to <see cref="Hosts"/>, and nowhere else.
/// </summary>
internal sealed record ProxySecret(string Name, string Placeholder, byte[] Value, IReadOnlyList<EgressRule> Hosts)
{
    /// <summary>The value as header text: Latin-1 maps each byte to one char, so it is written back byte for byte.</summary>
    public string ValueText { get; } = System.Text.Encoding.Latin1.GetString(Value);

    public bool IsFor(NormalizedHost host, int port) => Hosts.Any(h => h.Matches(host, port));

    // The generated ToString would print the value.
    public override string ToString() => $"ProxySecret {{ Name = {Name} }}";
}
