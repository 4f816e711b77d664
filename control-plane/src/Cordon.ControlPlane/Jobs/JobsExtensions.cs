using Cordon.ControlPlane.Scheduling;
using Cordon.ControlPlane.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cordon.ControlPlane.Jobs;

internal static class JobsExtensions
{
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<JobsOptions>()
            .Bind(builder.Configuration.GetSection(JobsOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<OutputRetentionOptions>()
            .Bind(builder.Configuration.GetSection(OutputRetentionOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<StorageQuotaOptions>()
            .Bind(builder.Configuration.GetSection(StorageQuotaOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton<IStorageQuota, ConfiguredStorageQuota>();
        builder.Services.AddScoped<StorageQuotaGate>();
        builder.Services.AddSingleton<OutputRetentionSweeper>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OutputRetentionSweeper>());
        builder.Services.AddSingleton<JobQueue>();
        builder.Services.AddSingleton<JobCancellations>();
        builder.Services.AddSingleton<JobEventHub>();
        builder.Services.AddSingleton<OutputBuffers>();
        builder.Services.AddSingleton<JobExecutor>();
        builder.Services.AddSingleton<IRunnerLossListener, JobRunnerLossListener>();
        builder.Services.AddHostedService<UnfinishedJobRecovery>();
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
