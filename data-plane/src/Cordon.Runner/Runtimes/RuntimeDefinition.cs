namespace Cordon.Runner.Runtimes;

/// <summary>One runtime of the registry (<c>deploy/runtimes/&lt;language&gt;.json</c>).</summary>
internal sealed record RuntimeDefinition
{
    public required string Language { get; init; }
    public IReadOnlyList<string> Aliases { get; init; } = [];
    public required string FileName { get; init; }
    /// <summary>Extensions of the files the compile step takes (<c>{sources}</c>).</summary>
    public IReadOnlyList<string> SourceExtensions { get; init; } = [];
    public IReadOnlyList<string> VersionCommand { get; init; } = [];
    /// <summary>The compile command, for compiled languages; <c>{sources}</c> expands to every source file.</summary>
    public IReadOnlyList<string>? Compile { get; init; }
    /// <summary>The run command; <c>{entrypoint}</c> and <c>{args}</c> expand.</summary>
    public required IReadOnlyList<string> Run { get; init; }
    /// <summary>The persistent interpreter for session <c>code</c> executions, when the language has one.</summary>
    public IReadOnlyList<string>? Repl { get; init; }
    public LimitValues? DefaultLimits { get; init; }

    /// <summary>Filled in at start-up by running <see cref="VersionCommand"/>.</summary>
    public string Version { get; init; } = "unknown";

    public bool Compiled => Compile is { Count: > 0 };
}
