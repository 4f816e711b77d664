using Cordon.Contracts.Runner.Agent;
using Cordon.Runner.Agent;
using Cordon.Runner.Execution;
using Cordon.Runner.Oci;
using Cordon.Runner.Runtimes;
using Cordon.Runner.Sandboxes;
using Grpc.Core;

namespace Cordon.Runner.Grpc;

/// <summary>
/// Maps the runner's failures to gRPC status codes, in one place. Each class of failure has its own code, because
/// the control plane acts on the code: <c>ResourceExhausted</c> means "this runner is full, try another" and is
/// kept for that alone; what the request itself caused (bad input, a full workspace, a FIFO where a file was
/// expected) is a 4xx class; what nobody expected is <c>Internal</c>, and <see cref="IsUnexpected"/> says to log it.
/// </summary>
internal static class RpcErrors
{
    public static Status? Map(Exception exception) => exception switch
    {
        RpcException => null,
        SandboxNotFoundException e => new Status(StatusCode.NotFound, e.Message),
        UnknownLanguageException or LimitOutOfRangeException or BadExecRequestException => new Status(StatusCode.InvalidArgument, exception.Message),
        AgentRequestException e => MapAgent(e),
        SandboxCapacityException e => new Status(StatusCode.ResourceExhausted, e.Message),
        AgentUnavailableException e => new Status(StatusCode.Unavailable, e.Message),
        OperationCanceledException => new Status(StatusCode.Cancelled, "the call was cancelled"),
        OciRuntimeException e => new Status(StatusCode.Internal, e.Message),
        _ => new Status(StatusCode.Internal, $"the runner failed unexpectedly ({exception.GetType().Name}: {exception.Message})"),
    };

    /// <summary>True for failures nobody planned for: mapped to <c>Internal</c>, they are logged with their stack.</summary>
    public static bool IsUnexpected(Status status) => status.StatusCode is StatusCode.Internal or StatusCode.Unknown;

    private static Status MapAgent(AgentRequestException e) => e.Code switch
    {
        AgentErrorCodes.InvalidPath or AgentErrorCodes.BadRequest or AgentErrorCodes.NameTooLong => new Status(StatusCode.InvalidArgument, e.Message),
        AgentErrorCodes.NotFound => new Status(StatusCode.NotFound, e.Message),
        AgentErrorCodes.TooLarge => new Status(StatusCode.OutOfRange, e.Message),
        // The sandbox's own disk limit, reached by what the request wrote: not the runner's capacity.
        AgentErrorCodes.NoSpace or AgentErrorCodes.NotAFile => new Status(StatusCode.FailedPrecondition, e.Message),
        _ => new Status(StatusCode.Internal, $"the sandbox agent failed ({e.Code}): {e.Message}"),
    };
}
