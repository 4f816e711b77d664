using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Cordon.Runner.Grpc;

/// <summary>
/// Every call's failure leaves as the status <see cref="RpcErrors"/> gives it; an unexpected one is logged first
/// (the control plane sees only its one-line message).
/// </summary>
internal sealed partial class RpcErrorInterceptor(ILogger<RpcErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (RpcErrors.Map(e) is { } status)
        {
            throw Failed(e, status, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (RpcErrors.Map(e) is { } status)
        {
            throw Failed(e, status, context);
        }
    }

    private RpcException Failed(Exception exception, Status status, ServerCallContext context)
    {
        if (RpcErrors.IsUnexpected(status))
        {
            LogUnexpected(logger, exception, context.Method, status.Detail);
        }
        else
        {
            LogRefused(logger, context.Method, status.StatusCode, status.Detail);
        }

        return new RpcException(status);
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Error, Message = "{Method} failed unexpectedly: {Detail}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string detail);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Debug, Message = "{Method} answered {Code}: {Detail}")]
    private static partial void LogRefused(ILogger logger, string method, StatusCode code, string detail);
}
