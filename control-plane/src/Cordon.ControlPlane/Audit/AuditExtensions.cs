namespace Cordon.ControlPlane.Audit;

internal static class AuditExtensions
{
    /// <summary>The audit sinks and the chained log. After storage (the log indexes into the migrated database) and
    /// before the features whose background work audits (they stop first, so their last events are written).</summary>
    public static IHostApplicationBuilder AddAudit(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuditOptions>()
            .Bind(builder.Configuration.GetSection(AuditOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<LogAuditSink>();
        builder.Services.AddSingleton<AuditIndex>();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AuditLog>());
        builder.Services.AddSingleton<IAuditSink, AuditSinks>();
        builder.Services.AddScoped<AuditReader>();
        return builder;
    }
}
