namespace Cordon.ControlPlane.Service;

/// <summary>What the process says about itself at start.</summary>
internal static partial class StartupLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "{Gap}")]
    public static partial void OomScoreNotLowered(ILogger logger, string gap);
}
