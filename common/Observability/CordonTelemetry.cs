using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Cordon.Observability;

/// <summary>
/// The telemetry both services start with: their own meter and ASP.NET Core's request duration
/// (<c>http_server_request_duration_seconds</c>) on a Prometheus <c>/metrics</c>, and their own activity source plus the
/// incoming and outgoing requests as OpenTelemetry traces, exported over OTLP when the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or <c>…_TRACES_ENDPOINT</c>) is set; every other <c>OTEL_*</c> variable
/// (protocol, headers, timeout, <c>OTEL_SERVICE_NAME</c>, <c>OTEL_RESOURCE_ATTRIBUTES</c>) is read by the SDK.
/// </summary>
internal static class CordonTelemetry
{
    public const string MetricsPath = "/metrics";

    private static readonly string[] OtlpEndpointVariables = ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"];

    public static IHostApplicationBuilder AddCordonTelemetry(this IHostApplicationBuilder builder, string serviceName, string meterName, string sourceName, Action<TracerProviderBuilder>? tracing = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var otlp = OtlpEndpointVariables.Any(v => !string.IsNullOrEmpty(builder.Configuration[v]));
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics
                .AddMeter(meterName)
                .AddMeter("Microsoft.AspNetCore.Hosting")
                // Each scrape reads the instruments afresh (the default caches an answer for 300 ms).
                .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0))
            .WithTracing(traces =>
            {
                traces.AddSource(sourceName)
                    // A scrape or a probe every few seconds is not a trace anyone wants.
                    .AddAspNetCoreInstrumentation(asp => asp.Filter = context => !IsProbe(context.Request.Path));
                tracing?.Invoke(traces);
                if (otlp)
                {
                    traces.AddOtlpExporter();
                }
            });
        return builder;
    }

    /// <summary>Serves <c>/metrics</c> in the Prometheus text exposition format, without authentication (as scrapers expect).</summary>
    public static IEndpointConventionBuilder MapCordonMetrics(this IEndpointRouteBuilder app) =>
        app.MapPrometheusScrapingEndpoint(MetricsPath).AllowAnonymous();

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments(MetricsPath, StringComparison.Ordinal)
        || path.StartsWithSegments("/healthz", StringComparison.Ordinal)
        || path.StartsWithSegments("/readyz", StringComparison.Ordinal);
}
