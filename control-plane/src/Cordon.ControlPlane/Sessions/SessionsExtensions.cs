using Cordon.ControlPlane.Jobs;
using Cordon.ControlPlane.Scheduling;
using Cordon.ControlPlane.Secrets.Redaction;

namespace Cordon.ControlPlane.Sessions;

internal static class SessionsExtensions
{
    public static IHostApplicationBuilder AddSessions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SessionsOptions>()
            .Bind(builder.Configuration.GetSection(SessionsOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<SessionTerminator>();
        builder.Services.AddSingleton<SessionReaper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SessionReaper>());
        builder.Services.AddSingleton<IRunnerLossListener, SessionRunnerLossListener>();
        builder.Services.AddSingleton<IRunnerReconciler, SessionSandboxReconciler>();
        builder.Services.AddSingleton<IJobFinishedListener, SessionExecutionListener>();
        builder.Services.AddSingleton<SessionRequestValidator>();
        builder.Services.AddScoped<SessionStore>();
        builder.Services.AddScoped<SessionCreator>();
        builder.Services.AddScoped<SessionLifecycle>();
        builder.Services.AddScoped<SessionExecutions>();
        builder.Services.AddScoped<SessionFiles>();
        builder.Services.AddScoped<SessionRedaction>();
        return builder;
    }
}
