namespace Cordon.ControlPlane.OpenApi;

/// <summary>
/// The problems (RFC 9457, <c>application/problem+json</c>) an endpoint can answer, for the OpenAPI document: 400 as
/// a validation problem (with <c>errors</c> by field), the others as plain problem details. 401, 403 and 429, which every
/// authorised endpoint shares, are added by <see cref="CommonProblemsTransformer"/>.
/// </summary>
internal static class ProblemResponseExtensions
{
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
        {
            if (status == StatusCodes.Status400BadRequest)
            {
                builder.ProducesValidationProblem();
            }
            else
            {
                builder.ProducesProblem(status);
            }
        }

        return builder;
    }
}
