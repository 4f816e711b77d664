using Cordon.Runner.Configuration;
using Cordon.Runner.Dependencies;
using Cordon.Runner.Egress;
using Cordon.Runner.Execution;
using Cordon.Runner.Grpc;
using Cordon.Runner.Native;
using Cordon.Runner.Oci;
using Cordon.Runner.Runtimes;
using Cordon.Runner.Sandboxes;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Cordon.Runner.Hosting;

/// <summary>The runner's services on the generic host; <c>serve</c> and <c>exec</c> share this registration.</summary>
internal static class RunnerHostingExtensions
{
    public static IHostApplicationBuilder AddRunner(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RunnerOptions>().Bind(builder.Configuration.GetSection(RunnerOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<RunnerOptions>, RunnerOptionsValidator>();
        services.AddOptions<EgressOptions>().Bind(builder.Configuration.GetSection(EgressOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<EgressOptions>, EgressOptionsValidator>();
        services.AddSingleton<EgressProxyFactory>();
        services.AddOptions<DependencyOptions>().Bind(builder.Configuration.GetSection(DependencyOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<DependencyOptions>, DependencyOptionsValidator>();
        services.AddSingleton(sp => new RegistryHosts(sp.GetRequiredService<IOptions<DependencyOptions>>().Value));
        services.AddSingleton(sp => new RegistryClient(sp.GetRequiredService<IOptions<DependencyOptions>>().Value, sp.GetRequiredService<RegistryHosts>()));
        services.AddSingleton(sp => new DependencyCache(
            Path.Combine(sp.GetRequiredService<SandboxPaths>().DataDirectory, "deps"),
            TimeSpan.FromHours(sp.GetRequiredService<IOptions<DependencyOptions>>().Value.CacheMaxAgeHours),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<DependencyInstaller>();
        services.TryAddSingleton(TimeProvider.System);
        // A failed start is reported once, by StartupFailure, as one line: not again as the host's stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);

        // Factories only read settings and small files: nothing is created on disk until RunnerStartup runs,
        // which the host starts after every options validator has passed.
        services.AddSingleton(sp => RunnerAssets.Locate(Options(sp)));
        services.AddSingleton(sp => new SandboxPaths(Path.GetFullPath(Options(sp).DataDir)));
        services.AddSingleton(sp => RuntimeRegistry.Load(sp.GetRequiredService<RunnerAssets>().RuntimesDirectory));
        services.AddSingleton(sp => new BundleGenerator(SeccompProfile.Load(sp.GetRequiredService<RunnerAssets>().SeccompProfile)));
        services.AddSingleton(_ => new CgroupStats());
        services.AddSingleton<IOciRuntime>(sp => new RuncRuntime(Options(sp).OciRuntime, OciRuntimeFlags.Resolve(Options(sp)), sp.GetRequiredService<SandboxPaths>().RuncState));
        services.AddSingleton(sp =>
        {
            var paths = sp.GetRequiredService<SandboxPaths>();
            return new SandboxManager(
                Options(sp), paths, sp.GetRequiredService<RuntimeRegistry>(), sp.GetRequiredService<IOciRuntime>(),
                sp.GetRequiredService<BundleGenerator>(), sp.GetRequiredService<CgroupStats>(), Path.Combine(paths.DataDirectory, "rootfs"),
                sp.GetRequiredService<RunnerAssets>().InitPath, sp.GetRequiredService<EgressProxyFactory>(), sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<SandboxManager>>());
        });
        services.AddSingleton<CompileStep>();
        services.AddSingleton<SandboxExecutor>();
        services.AddSingleton<OneShotJobs>();
        services.AddSingleton(sp => ServiceToken.Resolve(Options(sp).ServiceToken, sp.GetRequiredService<SandboxPaths>().DataDirectory));
        services.AddSingleton(sp =>
        {
            var oci = sp.GetRequiredService<IOciRuntime>();
            var dataDirectory = sp.GetRequiredService<SandboxPaths>().DataDirectory;
            return new RunnerInfo(
                Environment.MachineName + ":" + Path.GetFileName(dataDirectory.TrimEnd('/')),
                typeof(RunnerHostingExtensions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
                oci.Describe,
                [.. HostHardening.KnownGaps(oci.Describe), .. RuntimeGaps.Of(Options(sp).OciRuntime, OciRuntimeFlags.Resolve(Options(sp))), .. sp.GetRequiredService<StartupGaps>().Gaps]);
        });
        services.AddSingleton<StartupGaps>();
        services.AddHostedService<RunnerStartup>();
        // After the start-up (hosted services start in order): it sweeps only what this run created.
        services.AddHostedService<SandboxAgeSweeper>();
        return builder;
    }

    private static RunnerOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<RunnerOptions>>().Value;
}
