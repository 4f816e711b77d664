using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Secrets;

internal static class SecretsExtensions
{
    /// <summary>The secret store; the master key file is read at start (a missing or malformed one refuses the start).</summary>
    public static IHostApplicationBuilder AddSecrets(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SecretsOptions>()
            .Bind(builder.Configuration.GetSection(SecretsOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SecretsOptions>, SecretsOptionsValidator>();
        builder.Services.AddSingleton<IKeyWrapper>(services =>
            services.GetRequiredService<IOptions<SecretsOptions>>().Value is { Enabled: true } options
                ? new FileKeyWrapper(options.MasterKeyFile!)
                : new NoKeyWrapper());
        builder.Services.AddSingleton<SecretCipher>();
        builder.Services.AddScoped<SecretStore>();
        builder.Services.AddScoped<SecretsAdmin>();
        builder.Services.AddScoped<SecretResolver>();
        builder.Services.AddScoped<MasterKeyRotator>();
        return builder;
    }
}
