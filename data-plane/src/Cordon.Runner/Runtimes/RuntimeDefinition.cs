namespace Cordon.Runner.Runtimes;

/// <summary>One <c>deploy/runtimes/&lt;language&gt;.json</c> file.</summary>
internal sealed record RuntimeDefinition
{
    public required string Language { get; init; }
    public IReadOnlyList<string> Aliases { get; init; } = [];
    public required string FileName { get; init; }
    public IReadOnlyList<string> VersionCommand { get; init; } = [];
    /// <summary>Source files the compile step takes (<c>{sources}</c>), e.g. <c>.c</c>.</summary>
    public IReadOnlyList<string> SourceExtensions { get; init; } = [];
    /// <summary>Compile argv; <c>{sources}</c> expands to every source file of the job.</summary>
    public IReadOnlyList<string>? Compile { get; init; }
    /// <summary>Run argv; <c>{entrypoint}</c> is the entry file, the job's args follow.</summary>
    public required IReadOnlyList<string> Run { get; init; }
    /// <summary>Argv of the persistent interpreter for code executions.</summary>
    public IReadOnlyList<string>? Repl { get; init; }
    public required RuntimeLimits DefaultLimits { get; init; }
    public required RuntimeLimits MaxLimits { get; init; }

    /// <summary>Detected on the host at start-up.</summary>
    public string Version { get; init; } = "unknown";

    public bool Compiled => Compile is { Count: > 0 };
}
