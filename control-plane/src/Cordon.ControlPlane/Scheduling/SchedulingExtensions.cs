namespace Cordon.ControlPlane.Scheduling;

internal static class SchedulingExtensions
{
    public static IHostApplicationBuilder AddScheduling(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SchedulingOptions>()
            .Bind(builder.Configuration.GetSection(SchedulingOptions.SectionName))
            .Configure(options => builder.Configuration.GetSection("Cordon:Runners").Bind(options.Runners))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<RunnerRegistry>();
        builder.Services.AddSingleton<RunnerGateway>();
        builder.Services.AddSingleton<RunnerHealthMonitor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RunnerHealthMonitor>());
        return builder;
    }
}
