using System.Globalization;
using System.Text.Json;
using Cordon.Contracts.Problems;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Cordon.ControlPlane.Problems;

/// <summary>The one place exceptions become problem details. No stack traces reach the client.</summary>
internal sealed partial class CordonExceptionHandler(
    IProblemDetailsService problemDetails,
    ILogger<CordonExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            RequestValidationException validation => new ValidationProblemDetails(validation.Errors)
            {
                Type = validation.ProblemType,
                Title = validation.Title,
                Status = validation.StatusCode,
                Detail = validation.Message,
            },
            CordonException cordon => new ProblemDetails
            {
                Type = cordon.ProblemType,
                Title = cordon.Title,
                Status = cordon.StatusCode,
                Detail = cordon.Message,
            },
            BadHttpRequestException or JsonException => BadRequestProblems.From(httpContext, exception),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => null,
            _ => new ProblemDetails
            {
                Type = ProblemTypes.Internal,
                Title = "Internal error",
                Status = StatusCodes.Status500InternalServerError,
                Detail = "An unexpected error occurred; the server log has the details (trace id " + httpContext.TraceIdentifier + ").",
            },
        };

        if (problem is null)
        {
            // The client went away; nobody is listening for an answer.
            return true;
        }

        if (problem.Status == StatusCodes.Status500InternalServerError)
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        if (exception is PolicyDeniedException denied)
        {
            problem.Extensions["rules"] = denied.Rules.ToArray();
            problem.Extensions["policyVersion"] = denied.PolicyVersion;
        }

        if (exception is QueueFullException queueFull)
        {
            httpContext.Response.Headers.RetryAfter =
                ((int)Math.Ceiling(queueFull.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        if (exception is QuotaExceededException quota)
        {
            problem.Extensions["quota"] = quota.Quota;
            problem.Extensions["limit"] = quota.Limit;
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds(quota.RetryAfter);
        }

        if (exception is StorageQuotaExceededException storage)
        {
            problem.Extensions["quota"] = StorageQuotaExceededException.Quota;
            problem.Extensions["usedBytes"] = storage.UsedBytes;
            problem.Extensions["limitBytes"] = storage.LimitBytes;
            if (storage.RetryAfter is { } retryAfter)
            {
                httpContext.Response.Headers.RetryAfter = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    /// <summary>Whole seconds, rounded up and at least 1: a client that waits that long may succeed.</summary>
    internal static string RetryAfterSeconds(TimeSpan wait) =>
        Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
