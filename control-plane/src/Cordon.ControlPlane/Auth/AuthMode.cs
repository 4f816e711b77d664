namespace Cordon.ControlPlane.Auth;

/// <summary>
/// Where the testing conveniences may be used: the auth bypass and the local development key only in the
/// environment named exactly <c>Development</c> with a loopback-only listener — never in Staging, Production or
/// anything else, and never reachable from another host.
/// </summary>
internal sealed record AuthMode(string EnvironmentName, IReadOnlyList<string> Urls)
{
    public bool IsDevelopment => string.Equals(EnvironmentName, Environments.Development, StringComparison.Ordinal);

    public bool LoopbackOnly => Urls.All(LoopbackListener.IsLoopback);

    public bool ConveniencesAllowed => IsDevelopment && LoopbackOnly;

    public static AuthMode From(IHostEnvironment environment, IConfiguration configuration) =>
        new(environment.EnvironmentName, LoopbackListener.Urls(configuration));

    /// <summary>Whether the local development key is trusted: by default where allowed, never elsewhere.</summary>
    public bool UsesDevKey(AuthOptions options) => ConveniencesAllowed && (options.DevSigningKey ?? true);

    public bool UsesBypass(AuthOptions options) => ConveniencesAllowed && options.Bypass;

    public string Where => $"the environment is '{EnvironmentName}' and the listener is {string.Join(", ", Urls)}";
}
