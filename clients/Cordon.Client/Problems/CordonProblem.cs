namespace Cordon.Client.Problems;

/// <summary>The RFC 9457 problem details of a failed Cordon API call.</summary>
public sealed record CordonProblem
{
    /// <summary>The problem type URI (one of <c>Cordon.Contracts.Problems.ProblemTypes</c> for Cordon's own errors).</summary>
    public string? Type { get; init; }

    /// <summary>A short, human-readable summary of the problem type.</summary>
    public string? Title { get; init; }

    /// <summary>The HTTP status code.</summary>
    public required int Status { get; init; }

    /// <summary>What went wrong in this occurrence.</summary>
    public string? Detail { get; init; }

    /// <summary>The URI of this occurrence, when the server gives one.</summary>
    public string? Instance { get; init; }

    /// <summary>Validation errors by field, for <c>validation</c> problems; empty otherwise.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Errors { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>();
}
