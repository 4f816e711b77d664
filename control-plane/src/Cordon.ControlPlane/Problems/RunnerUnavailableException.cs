using Cordon.Contracts.Problems;

namespace Cordon.ControlPlane.Problems;

/// <summary>A runner stopped answering (Unavailable, DeadlineExceeded, or the connection failed).</summary>
internal sealed class RunnerUnavailableException(string runnerId, string message, Exception? innerException = null)
    : CordonException(message, innerException)
{
    public string RunnerId { get; } = runnerId;

    public override int StatusCode => StatusCodes.Status503ServiceUnavailable;

    public override string ProblemType => ProblemTypes.Unavailable;

    public override string Title => "Runner unavailable";
}
