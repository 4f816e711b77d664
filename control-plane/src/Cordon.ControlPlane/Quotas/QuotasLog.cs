namespace Cordon.ControlPlane.Quotas;

internal static partial class QuotasLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Renewing quota leases failed; they are retried next round")]
    public static partial void RenewFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Releasing the {Quota} slot of {Holder} failed; it expires with its lease")]
    public static partial void ReleaseFailed(ILogger logger, Exception exception, string quota, string holder);
}
