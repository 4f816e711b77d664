using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Quotas;

internal static class QuotasExtensions
{
    /// <summary>Per-tenant quotas; the counters are in Redis when <c>Cordon:Redis:Configuration</c> is set, else in this process.</summary>
    public static IHostApplicationBuilder AddQuotas(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<QuotaOptions>()
            .Bind(builder.Configuration.GetSection(QuotaOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => Validate(o.Defaults), "Cordon:Quotas:Defaults has a value out of range: concurrentJobs, queuedJobs and concurrentSessions 0–1000000, requestsPerSecond above 0 up to 1000000, burst 1–1000000.")
            .ValidateOnStart();
        builder.Services.AddOptions<RedisOptions>().Bind(builder.Configuration.GetSection(RedisOptions.SectionName));
        builder.Services.AddSingleton<InProcessQuotaCounters>();
        builder.Services.AddSingleton<RedisQuotaCounters>();
        builder.Services.AddSingleton<IQuotaCounters>(services =>
            services.GetRequiredService<IOptions<RedisOptions>>().Value.IsSet
                ? services.GetRequiredService<RedisQuotaCounters>()
                : services.GetRequiredService<InProcessQuotaCounters>());
        builder.Services.AddSingleton<TenantQuotaResolver>();
        builder.Services.AddSingleton<HeldQuotaSlots>();
        builder.Services.AddSingleton<JobQuotas>();
        builder.Services.AddSingleton<SessionQuotas>();
        builder.Services.AddSingleton<RequestRate>();
        builder.Services.AddSingleton<QuotaLeaseRenewer>();
        builder.Services.AddHostedService(services => services.GetRequiredService<QuotaLeaseRenewer>());
        return builder;
    }

    /// <summary>After authentication: the request's tenant is known.</summary>
    public static WebApplication UseRequestRate(this WebApplication app)
    {
        app.UseMiddleware<RequestRateMiddleware>();
        return app;
    }

    private static bool Validate(QuotaDefaultsOptions defaults) =>
        System.ComponentModel.DataAnnotations.Validator.TryValidateObject(defaults, new(defaults), null, validateAllProperties: true);
}
