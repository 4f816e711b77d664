using Cordon.Contracts.Problems;

namespace Cordon.ControlPlane.Problems;

/// <summary>Admission refused: the queue is full. The client should retry after <see cref="RetryAfter"/>.</summary>
internal sealed class QueueFullException(string message, TimeSpan retryAfter) : CordonException(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;

    public override int StatusCode => StatusCodes.Status429TooManyRequests;

    public override string ProblemType => ProblemTypes.TooManyRequests;

    public override string Title => "Too many requests";
}
