namespace Cordon.Contracts.Problems;

/// <summary>The <c>type</c> URIs of Cordon's RFC 9457 problem details.</summary>
public static class ProblemTypes
{
    private const string Base = "https://cordon.dev/problems/";

    /// <summary>The request is malformed or fails validation (400).</summary>
    public const string Validation = Base + "validation";
    /// <summary>No credentials, or credentials that do not validate (401).</summary>
    public const string Unauthorized = Base + "unauthorized";
    /// <summary>The token lacks the scope this endpoint needs (403).</summary>
    public const string Forbidden = Base + "forbidden";
    /// <summary>No such resource for this tenant (404).</summary>
    public const string NotFound = Base + "not-found";
    /// <summary>The resource is in a state that does not allow the operation (409).</summary>
    public const string Conflict = Base + "conflict";
    /// <summary>The <c>If-Match</c> version is not the current one (412).</summary>
    public const string PreconditionFailed = Base + "precondition-failed";
    /// <summary>The body is larger than allowed (413).</summary>
    public const string PayloadTooLarge = Base + "payload-too-large";
    /// <summary>Too many requests or the queue is full (429).</summary>
    public const string TooManyRequests = Base + "too-many-requests";
    /// <summary>Over a tenant quota, e.g. stored output over the storage quota (429); the problem's <c>quota</c> names it.</summary>
    public const string QuotaExceeded = Base + "quota-exceeded";
    /// <summary>Refused by policy (403).</summary>
    public const string PolicyDenied = Base + "policy-denied";
    /// <summary>Allowed by policy, but this deployment cannot enforce it yet, so it is refused (501).</summary>
    public const string NotEnforceable = Base + "not-enforceable";
    /// <summary>No runner can take the work now (503).</summary>
    public const string Unavailable = Base + "unavailable";
    /// <summary>An unexpected failure (500).</summary>
    public const string Internal = Base + "internal";
}
