namespace Cordon.ControlPlane.Auth;

/// <summary>
/// Who is asking, for the length of one request (or one background unit of work): the tenant every query is
/// scoped to, the subject and the granted scopes. Filled from the validated JWT by <see cref="RequestContextMiddleware"/>.
/// </summary>
internal sealed class RequestContext
{
    private static readonly HashSet<string> NoScopes = [];

    public string? Tenant { get; private set; }

    public string Subject { get; private set; } = "";

    public IReadOnlySet<string> Scopes { get; private set; } = NoScopes;

    public bool AuthBypassed { get; private set; }

    /// <summary>The tenant; throws when the context was never initialised (a bug, not a client error).</summary>
    public string RequiredTenant =>
        Tenant ?? throw new InvalidOperationException("The request context has no tenant; it was never initialised.");

    public void Initialize(string tenant, string subject, IEnumerable<string> scopes, bool authBypassed)
    {
        Tenant = tenant;
        Subject = subject;
        Scopes = scopes.ToHashSet(StringComparer.Ordinal);
        AuthBypassed = authBypassed;
    }

    /// <summary>Background work acting for a tenant (the job runner, the session reaper).</summary>
    public void InitializeForSystem(string tenant) => Initialize(tenant, "system", [], authBypassed: false);
}
