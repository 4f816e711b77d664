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
        builder.Services.AddSingleton<JobQueue>();
        builder.Services.AddSingleton<JobCancellations>();
        builder.Services.AddSingleton<JobEventHub>();
        builder.Services.AddSingleton<JobExecutor>();
        builder.Services.AddSingleton<IRunnerLossListener, JobRunnerLossListener>();
        builder.Services.AddHostedService<JobRunner>();
        builder.Services.AddSingleton<JobRequestValidator>();
        builder.Services.AddSingleton<RunJobRequestBuilder>();
        builder.Services.AddScoped<JobStore>();
        builder.Services.AddScoped<JobAdmission>();
        builder.Services.AddScoped<JobIdempotency>();
        builder.Services.AddScoped<JobCreator>();
        builder.Services.AddScoped<JobReader>();
        builder.Services.AddScoped<JobEventReader>();
        builder.Services.AddScoped<JobCanceller>();
        builder.Services.AddScoped<JobArtifacts>();
        return builder;
    }
}
