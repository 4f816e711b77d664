namespace Cordon.Runner.Egress;

/// <summary>
/// A request the proxy answers itself: the status, the one-line reason, and whether it is an error (502: allowed
/// but unreachable, <c>X-Cordon-Egress: error</c>) rather than a denial. Status 0: nothing is answered (the
/// client left before asking), the reason is only recorded.
/// </summary>
internal sealed record EgressRefusal(int Status, string Reason, bool IsError = false)
{
    public const string NotAllowlisted = "not in this sandbox's allowlist";
    public const string ConnectionLimit = "connection limit";
    public const string ByteLimit = "byte limit";

    public static EgressRefusal BadRequest(string reason) => new(400, reason);

    public static EgressRefusal Forbidden(string reason) => new(403, reason);

    public static EgressRefusal TooMany(string reason) => new(429, reason);

    public static EgressRefusal BadGateway(string reason) => new(502, reason, IsError: true);
}
