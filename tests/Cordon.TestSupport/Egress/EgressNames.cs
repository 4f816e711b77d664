namespace Cordon.TestSupport.Egress;

/// <summary>The names the egress tests' DNS server answers, each standing for one kind of destination.</summary>
public static class EgressNames
{
    /// <summary>The test's HTTP/HTTPS server, the destination a sandbox is allowed.</summary>
    public const string Public = "public.test";

    /// <summary>Below <see cref="Public"/>: for wildcard rules.</summary>
    public const string PublicSub = "api.public.test";

    /// <summary>The same server under a name no sandbox is allowed.</summary>
    public const string Other = "other.test";

    public const string Private = "private.test";

    public const string Loopback = "loopback.test";

    public const string Metadata = "metadata.test";

    /// <summary>The host's own address (the runner's).</summary>
    public const string Own = "own.test";

    public const string SharedSpace = "cgnat.test";

    /// <summary>The public server's address and a private one: one bad address refuses the name.</summary>
    public const string Mixed = "mixed.test";

    public const string UniqueLocal = "ula.test";

    /// <summary>Names the HTTPS server's certificate holds.</summary>
    public static IReadOnlyList<string> WithCertificate { get; } = [Public, PublicSub, Other, Mixed];

    public static IEnumerable<(string Name, string Address)> Records(string server, string host) =>
    [
        (Public, server), (PublicSub, server), (Other, server), (Private, "10.11.12.13"), (Loopback, "127.0.0.1"),
        (Metadata, "169.254.169.254"), (Own, host), (SharedSpace, "100.64.1.1"), (Mixed, server), (Mixed, "10.11.12.13"),
        (UniqueLocal, "fd00::1"),
    ];
}
