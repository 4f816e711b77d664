using Cordon.Contracts.Runner.Agent;
using Cordon.Runner.Agent;
using Cordon.Runner.Execution;
using Cordon.Runner.Oci;
using Cordon.Runner.Runtimes;
using Cordon.Runner.Sandboxes;
using Grpc.Core;

namespace Cordon.Runner.Grpc;

/// <summary>Maps the runner's failures to gRPC status codes, in one place.</summary>
internal static class RpcErrors
{
    public static async Task<T> Guard<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (Map(e) is { } status)
        {
            throw new RpcException(status);
        }
    }

    public static Status? Map(Exception exception) => exception switch
    {
        RpcException => null,
        SandboxNotFoundException e => new Status(StatusCode.NotFound, e.Message),
        UnknownLanguageException or LimitOutOfRangeException or BadExecRequestException => new Status(StatusCode.InvalidArgument, exception.Message),
        AgentRequestException { Code: AgentErrorCodes.InvalidPath or AgentErrorCodes.BadRequest } e => new Status(StatusCode.InvalidArgument, e.Message),
        AgentRequestException { Code: AgentErrorCodes.NotFound } e => new Status(StatusCode.NotFound, e.Message),
        AgentRequestException { Code: AgentErrorCodes.TooLarge } e => new Status(StatusCode.OutOfRange, e.Message),
        AgentRequestException { Code: AgentErrorCodes.IoError } e => new Status(StatusCode.ResourceExhausted, e.Message),
        SandboxCapacityException e => new Status(StatusCode.ResourceExhausted, e.Message),
        AgentUnavailableException e => new Status(StatusCode.Unavailable, e.Message),
        OperationCanceledException => new Status(StatusCode.Cancelled, "the call was cancelled"),
        OciRuntimeException e => new Status(StatusCode.Internal, e.Message),
        _ => new Status(StatusCode.Internal, $"{exception.GetType().Name}: {exception.Message}"),
    };
}
