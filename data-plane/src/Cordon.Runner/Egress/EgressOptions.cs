using System.ComponentModel.DataAnnotations;

namespace Cordon.Runner.Egress;

/// <summary>The per-sandbox egress proxy's settings (section <c>Cordon:Egress</c>).</summary>
internal sealed class EgressOptions
{
    public const string SectionName = "Cordon:Egress";

    /// <summary>
    /// Private ranges (CIDR, e.g. <c>10.20.0.0/16</c>, <c>fd00::/8</c>) a sandbox may still reach when its allowlist
    /// names a host in them: an internal package mirror, say. Everything else private, loopback, link-local or
    /// reserved stays refused, and so does the runner's own address, whatever is listed here.
    /// </summary>
    public List<string> AllowedPrivateRanges { get; set; } = [];

    /// <summary>How many connections one sandbox may hold open at once; more are refused with 429.</summary>
    [Range(1, 4096)]
    public int MaxConnections { get; set; } = 32;

    /// <summary>How many bytes (out and in summed) one sandbox may move in its life; past it every tunnel closes.</summary>
    [Range(1, long.MaxValue)]
    public long MaxBytes { get; set; } = 1L << 30;

    /// <summary>A connection that moves no byte either way for this long is closed.</summary>
    [Range(1, 86_400)]
    public int IdleTimeoutSeconds { get; set; } = 60;

    /// <summary>How long one connect (and the name lookup before it) may take.</summary>
    [Range(1, 600)]
    public int ConnectTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// A PEM file of CA certificates the proxy trusts, besides the system's, when it opens its own TLS connection to
    /// a host of a proxy secret (an internal service with a private CA). Unset: the system's trust only.
    /// </summary>
    public string? UpstreamCaFile { get; set; }

    /// <summary>How long a client may take to send its request head.</summary>
    [Range(1, 600)]
    public int HeaderTimeoutSeconds { get; set; } = 10;
}
