using Cordon.ControlPlane.Scheduling;

namespace Cordon.ControlPlane.Jobs;

internal static class JobsExtensions
{
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<JobsOptions>()
            .Bind(builder.Configuration.GetSection(JobsOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<LimitsOptions>()
            .Bind(builder.Configuration.GetSection(LimitsOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<JobQueue>();
        builder.Services.AddSingleton<JobCancellations>();
        builder.Services.AddSingleton<JobEventHub>();
        builder.Services.AddSingleton<JobExecutor>();
        builder.Services.AddSingleton<IRunnerLossListener, JobRunnerLossListener>();
        builder.Services.AddHostedService<JobRunner>();
        builder.Services.AddScoped<JobStore>();
        builder.Services.AddScoped<JobService>();
        builder.Services.AddScoped<JobRequestValidator>();
        return builder;
    }
}
