using Cordon.ControlPlane.Requests;
using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Problems;

/// <summary>
/// Refuses a declared body over <c>Cordon:Limits:MaxRequestBodyBytes</c> with 413 before reading it; Kestrel's own
/// limit (set to the same value) catches chunked bodies that grow past it.
/// </summary>
internal sealed class RequestSizeMiddleware(RequestDelegate next, IOptions<LimitsOptions> limits)
{
    public Task InvokeAsync(HttpContext context)
    {
        var max = limits.Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > max)
        {
            throw new PayloadTooLargeException($"The request body is {context.Request.ContentLength} bytes; at most {max} are accepted.");
        }

        return next(context);
    }
}
