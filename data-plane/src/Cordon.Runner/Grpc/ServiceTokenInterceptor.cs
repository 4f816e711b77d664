using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Cordon.Runner.Grpc;

/// <summary>Every call must carry <c>authorization: Bearer &lt;service token&gt;</c>; compared in constant time.</summary>
internal sealed class ServiceTokenInterceptor(ServiceToken token) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, responseStream, context);
    }

    private void Authorize(ServerCallContext context)
    {
        var header = context.RequestHeaders.GetValue("authorization") ?? "";
        const string prefix = "Bearer ";
        var presented = header.StartsWith(prefix, StringComparison.Ordinal) ? header[prefix.Length..] : "";
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(token.Value)))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "a valid runner service token is required (authorization: Bearer …)"));
        }
    }
}
