using Cordon.Observability;
using OpenTelemetry.Trace;

namespace Cordon.ControlPlane.Observability;

internal static class ObservabilityExtensions
{
    public const string ServiceName = "cordon-control";

    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        builder.AddCordonTelemetry(ServiceName, ControlPlaneMetrics.MeterName, ControlPlaneTelemetry.SourceName,
            tracing => tracing.AddGrpcClientInstrumentation());
        builder.Services.AddSingleton<ControlPlaneMetrics>();
        return builder;
    }

    public static WebApplication MapObservability(this WebApplication app)
    {
        // Built now, so its observed gauges (queue depth, runners up) are there from the first scrape.
        app.Services.GetRequiredService<ControlPlaneMetrics>();
        app.MapCordonMetrics();
        return app;
    }
}
