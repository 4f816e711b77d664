using Cordon.Runner.Agent;
using Cordon.Runner.Sandboxes;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Cordon.Runner.Grpc;

/// <summary>Maps domain failures to status codes in one place (ARCHITECTURE.md: runner ↔ control plane).</summary>
internal sealed class ErrorMappingInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (Map(e) is { } mapped)
        {
            throw mapped;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (Map(e) is { } mapped)
        {
            throw mapped;
        }
    }

    internal static RpcException? Map(Exception e) => e switch
    {
        RpcException => null,
        OperationCanceledException => new RpcException(new Status(StatusCode.Cancelled, "Cancelled.")),
        SandboxException s => new RpcException(new Status(s.Error switch
        {
            SandboxError.NotFound => StatusCode.NotFound,
            SandboxError.InvalidArgument => StatusCode.InvalidArgument,
            SandboxError.AtCapacity => StatusCode.ResourceExhausted,
            SandboxError.ShuttingDown => StatusCode.Unavailable,
            _ => StatusCode.Internal,
        }, s.Message)),
        AgentException a => new RpcException(new Status(a.Code switch
        {
            "invalid_path" or "bad_request" or "too_large" => StatusCode.InvalidArgument,
            "not_found" => StatusCode.NotFound,
            _ => StatusCode.Internal,
        }, a.Message)),
        _ => new RpcException(new Status(StatusCode.Internal, e.Message)),
    };
}
