using Cordon.Runner.Runtimes;

namespace Cordon.Runner.Execution;

/// <summary>A one-shot job: files, entry point, inputs and limits.</summary>
internal sealed record JobRequest
{
    public required string Language { get; init; }
    public RuntimeLimits Limits { get; init; } = new();
    public required IReadOnlyList<JobFileContent> Files { get; init; }
    public string? Entrypoint { get; init; }
    public IReadOnlyList<string> Args { get; init; } = [];
    public byte[]? Stdin { get; init; }
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> ArtifactGlobs { get; init; } = [];
    public long MaxArtifactBytes { get; init; }
    public string Tenant { get; init; } = "";
    public string JobId { get; init; } = "";
}

/// <summary>One file of a job.</summary>
internal sealed record JobFileContent(string Path, byte[] Content, int Mode = 420);
