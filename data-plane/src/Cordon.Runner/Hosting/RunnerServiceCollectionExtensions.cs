using Cordon.Runner.Execution;
using Cordon.Runner.Sandboxes;

namespace Cordon.Runner.Hosting;

internal static class RunnerServiceCollectionExtensions
{
    /// <summary>The sandbox machinery, shared by <c>serve</c> and <c>exec</c>.</summary>
    public static IHostApplicationBuilder AddRunner(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RunnerOptions>()
            .Bind(builder.Configuration.GetSection(RunnerOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SandboxManager>();
        builder.Services.AddSingleton<ExecutionService>();
        builder.Services.AddSingleton<JobRunner>();
        builder.Services.AddHostedService<RunnerInitializer>();
        return builder;
    }
}
