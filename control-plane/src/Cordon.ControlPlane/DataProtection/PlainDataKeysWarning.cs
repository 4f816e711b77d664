using Cordon.ControlPlane.Secrets;

namespace Cordon.ControlPlane.DataProtection;

/// <summary>Says at start, once, that without a master key the workspace data keys are kept unwrapped in the database.</summary>
internal sealed partial class PlainDataKeysWarning(IKeyWrapper wrapper, ILogger<PlainDataKeysWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!wrapper.Available)
        {
            LogPlain(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1950, Level = LogLevel.Warning,
        Message = "No master key (Cordon:Secrets:MasterKeyFile): artifacts are still encrypted per job, but their data keys are stored unwrapped in the database; configure a master key and rotate it to wrap them")]
    private static partial void LogPlain(ILogger logger);
}
