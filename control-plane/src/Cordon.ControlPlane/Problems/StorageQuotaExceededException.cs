using Cordon.Contracts.Problems;

namespace Cordon.ControlPlane.Problems;

/// <summary>
/// Admission refused: the tenant's stored output and artifacts are at or over its storage quota. Nothing stored is
/// touched; <see cref="RetryAfter"/> says when retention frees room, when it will.
/// </summary>
internal sealed class StorageQuotaExceededException(string message, long usedBytes, long limitBytes, TimeSpan? retryAfter)
    : CordonException(message)
{
    /// <summary>The quota's name in the problem's <c>quota</c> member.</summary>
    public const string Quota = "storage";

    public long UsedBytes { get; } = usedBytes;

    public long LimitBytes { get; } = limitBytes;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    public override int StatusCode => StatusCodes.Status429TooManyRequests;

    public override string ProblemType => ProblemTypes.QuotaExceeded;

    public override string Title => "Storage quota exceeded";
}
