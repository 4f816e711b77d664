using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Cordon.Runner.Egress;

/// <summary>
/// What <see cref="HostNames.Normalize"/> made of a host: a normalised name, an address (every spelling of an IP
/// literal lands here), or the reason it is neither.
/// </summary>
internal sealed record NormalizedHost
{
    private NormalizedHost(string? name, IPAddress? address, string? problem)
    {
        Name = name;
        Address = address;
        Problem = problem;
    }

    /// <summary>The lower-case ASCII name (IDNA applied, no trailing dot); null for an address or a refusal.</summary>
    public string? Name { get; }

    /// <summary>The address an IP literal means (an IPv4-mapped IPv6 literal as its IPv4 address).</summary>
    public IPAddress? Address { get; }

    /// <summary>Why the text is no host; null when it is one.</summary>
    public string? Problem { get; }

    [MemberNotNullWhen(false, nameof(Problem))]
    public bool IsValid => Problem is null;

    public static NormalizedHost ForName(string name) => new(name, null, null);

    public static NormalizedHost ForAddress(IPAddress address) => new(null, address, null);

    public static NormalizedHost Refused(string problem) => new(null, null, problem);

    /// <summary>The canonical text: the name, the IPv4 address, or the bracketed IPv6 address; empty for a refusal.</summary>
    public override string ToString() => Address switch
    {
        { AddressFamily: AddressFamily.InterNetworkV6 } v6 => $"[{v6}]",
        { } v4 => v4.ToString(),
        null => Name ?? "",
    };
}
