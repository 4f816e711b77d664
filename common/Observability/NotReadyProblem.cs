using Cordon.Contracts.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cordon.Observability;

/// <summary>What <c>/readyz</c> answers on either plane when a check fails: 503, one line per failed check in <c>checks</c>.</summary>
internal static class NotReadyProblem
{
    public static ProblemHttpResult For(IReadOnlyList<string> failed) =>
        TypedResults.Problem(
            "Not ready: " + string.Join("; ", failed) + ".",
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Not ready",
            type: ProblemTypes.Unavailable,
            extensions: new Dictionary<string, object?> { ["checks"] = failed.ToArray() });
}
