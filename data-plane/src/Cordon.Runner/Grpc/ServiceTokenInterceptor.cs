using Cordon.Runner.Hosting;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Cordon.Runner.Grpc;

/// <summary>Every call must carry <c>authorization: Bearer &lt;service token&gt;</c>; anything else is Unauthenticated.</summary>
internal sealed class ServiceTokenInterceptor(ServiceToken token) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, responseStream, context);
    }

    private void Check(ServerCallContext context)
    {
        if (!token.Matches(context.RequestHeaders.GetValue("authorization")))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "A valid service token is required."));
        }
    }
}
