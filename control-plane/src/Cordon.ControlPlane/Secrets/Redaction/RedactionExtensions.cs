namespace Cordon.ControlPlane.Secrets.Redaction;

internal static class RedactionExtensions
{
    /// <summary>The redaction of injected secret values (<c>docs/ARCHITECTURE.md</c>, "Secret redaction").</summary>
    public static IHostApplicationBuilder AddSecretRedaction(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SecretRedactors>();
        builder.Services.AddSingleton<SessionRedactors>();
        return builder;
    }
}
