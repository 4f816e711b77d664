using Cordon.Contracts.Problems;
using Microsoft.AspNetCore.Http.Features;

namespace Cordon.ControlPlane.Problems;

internal static class ProblemsExtensions
{
    public static IHostApplicationBuilder AddProblems(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // Problems written by the framework itself (404 for no route, 405, 401/403 fall-backs) get our types too.
            context.ProblemDetails.Type ??= context.ProblemDetails.Status switch
            {
                StatusCodes.Status400BadRequest => ProblemTypes.Validation,
                StatusCodes.Status401Unauthorized => ProblemTypes.Unauthorized,
                StatusCodes.Status403Forbidden => ProblemTypes.Forbidden,
                StatusCodes.Status404NotFound => ProblemTypes.NotFound,
                StatusCodes.Status409Conflict => ProblemTypes.Conflict,
                StatusCodes.Status413PayloadTooLarge => ProblemTypes.PayloadTooLarge,
                StatusCodes.Status429TooManyRequests => ProblemTypes.TooManyRequests,
                StatusCodes.Status503ServiceUnavailable => ProblemTypes.Unavailable,
                _ => context.ProblemDetails.Type,
            };
            var request = context.HttpContext.Request;
            var path = ApiFieldPath.Clip(request.Path.Value ?? "", 200);
            context.ProblemDetails.Detail ??= context.ProblemDetails.Status switch
            {
                StatusCodes.Status404NotFound => $"There is no resource at {path}.",
                StatusCodes.Status405MethodNotAllowed => $"{ApiFieldPath.Clip(request.Method)} is not allowed on {path}.",
                StatusCodes.Status415UnsupportedMediaType =>
                    $"The body must be JSON (Content-Type: application/json); got '{ApiFieldPath.Clip(request.ContentType ?? "none")}'.",
                _ => context.ProblemDetails.Title,
            };

            context.ProblemDetails.Extensions.Remove("exception");
            context.ProblemDetails.Extensions["traceId"] =
                context.HttpContext.Features.Get<IHttpActivityFeature>()?.Activity?.Id ?? context.HttpContext.TraceIdentifier;
        });
        builder.Services.AddExceptionHandler<CordonExceptionHandler>();
        // Failures to bind a body (malformed JSON, unknown fields) throw so the exception handler writes the problem.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return builder;
    }
}
