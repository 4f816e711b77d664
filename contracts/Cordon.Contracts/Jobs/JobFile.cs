namespace Cordon.Contracts.Jobs;

/// <summary>A file written into the sandbox's <c>/workspace</c> before the program runs.</summary>
public sealed record JobFile
{
    /// <summary>Path relative to <c>/workspace</c>; no <c>..</c>, no absolute paths.</summary>
    public required string Path { get; init; }

    /// <summary>The file's content in <see cref="Encoding"/>.</summary>
    public required string Content { get; init; }

    /// <summary><c>utf8</c> (default) or <c>base64</c>.</summary>
    public string? Encoding { get; init; }
}
