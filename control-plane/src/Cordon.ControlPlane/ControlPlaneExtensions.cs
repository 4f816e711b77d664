using System.Text.Json.Serialization;
using Cordon.Contracts.Json;
using Cordon.ControlPlane.Audit;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.DataProtection;
using Cordon.ControlPlane.Jobs;
using Cordon.ControlPlane.Observability;
using Cordon.ControlPlane.OpenApi;
using Cordon.ControlPlane.Policy;
using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Quotas;
using Cordon.ControlPlane.Requests;
using Cordon.ControlPlane.Runtimes;
using Cordon.ControlPlane.Scheduling;
using Cordon.ControlPlane.Secrets;
using Cordon.ControlPlane.Secrets.Redaction;
using Cordon.ControlPlane.Service;
using Cordon.ControlPlane.Sessions;
using Cordon.ControlPlane.Storage;
using Cordon.Logging;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cordon.ControlPlane;

internal static class ControlPlaneExtensions
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    public static WebApplicationBuilder AddControlPlane(this WebApplicationBuilder builder)
    {
        builder.AddCordonLogging();
        builder.AddObservability();
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var maxBody = builder.Configuration.GetValue<long?>($"{LimitsOptions.SectionName}:{nameof(LimitsOptions.MaxRequestBodyBytes)}") ?? new LimitsOptions().MaxRequestBodyBytes;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = maxBody);
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, CordonJsonContext.Default);
            options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            ApiJsonOptions.Apply(options.SerializerOptions);
        });
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.AddProblems();
        builder.AddStorage();
        builder.AddAudit();
        builder.AddCordonAuth();
        builder.AddPolicy();
        builder.AddSecrets();
        builder.AddDataProtection();
        builder.AddQuotas();
        builder.AddScheduling();
        builder.Services.AddSingleton<RuntimeCatalog>();
        builder.Services.AddScoped<Readiness>();
        builder.AddRequestRules();
        builder.AddSecretRedaction();
        builder.AddJobs();
        builder.AddSessions();
        builder.AddCordonOpenApi();
        return builder;
    }

    public static WebApplication MapControlPlane(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestSizeMiddleware>();
        app.UseCordonAuth();
        app.UseRequestRate();
        app.MapService();
        app.MapObservability();
        app.MapRuntimes();
        app.MapJobs();
        app.MapSessions();
        app.MapPolicy();
        app.MapSecrets();
        app.MapDataProtection();
        app.MapAudit();
        app.MapCordonOpenApi();
        return app;
    }
}
