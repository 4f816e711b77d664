using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Policy;

internal static class PolicyExtensions
{
    /// <summary><c>Cordon:Policy:Engine</c> picks the engine: <c>builtin</c> (default) or <c>opa</c>.</summary>
    public static IHostApplicationBuilder AddPolicy(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PolicyOptions>()
            .Bind(builder.Configuration.GetSection(PolicyOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PolicyOptions>, PolicyOptionsValidator>();
        builder.Services.AddHttpClient(OpaPolicyEngine.HttpClientName);
        builder.Services.AddScoped<TenantPolicyStore>();
        builder.Services.AddScoped<TenantPolicyAdmin>();
        builder.Services.AddScoped<PolicyGate>();
        builder.Services.AddScoped<BuiltInPolicyEngine>();
        builder.Services.AddScoped<IPolicyEngine>(services =>
            services.GetRequiredService<IOptions<PolicyOptions>>().Value.IsOpa
                ? new OpaPolicyEngine(
                    services.GetRequiredService<IHttpClientFactory>().CreateClient(OpaPolicyEngine.HttpClientName),
                    services.GetRequiredService<IOptions<PolicyOptions>>(),
                    services.GetRequiredService<ILogger<OpaPolicyEngine>>())
                : services.GetRequiredService<BuiltInPolicyEngine>());
        return builder;
    }
}
