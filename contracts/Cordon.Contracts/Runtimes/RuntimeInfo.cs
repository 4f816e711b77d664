namespace Cordon.Contracts.Runtimes;

/// <summary>A language Cordon can run, as listed by <c>GET /v1/runtimes</c>.</summary>
public sealed record RuntimeInfo
{
    /// <summary>Canonical language name (<c>python</c>, <c>javascript</c>, …).</summary>
    public required string Language { get; init; }

    /// <summary>Version of the interpreter or compiler.</summary>
    public required string Version { get; init; }

    /// <summary>Other names accepted for the language.</summary>
    public required IReadOnlyList<string> Aliases { get; init; }

    /// <summary>The file <c>code</c> is written to.</summary>
    public required string FileName { get; init; }

    /// <summary>True when the language has a compile step.</summary>
    public required bool Compiled { get; init; }
}
