using Cordon.Contracts.Problems;

namespace Cordon.ControlPlane.Problems;

/// <summary>The request failed validation; <see cref="Errors"/> maps each offending field to its messages.</summary>
internal sealed class RequestValidationException(IDictionary<string, string[]> errors)
    : CordonException(Describe(errors))
{
    public IDictionary<string, string[]> Errors { get; } = errors;

    public override int StatusCode => StatusCodes.Status400BadRequest;

    public override string ProblemType => ProblemTypes.Validation;

    public override string Title => "The request is invalid";

    public static RequestValidationException For(string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] });

    private static string Describe(IDictionary<string, string[]> errors) =>
        string.Join(" ", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")));
}
