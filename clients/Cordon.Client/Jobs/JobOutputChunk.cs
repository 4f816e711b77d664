namespace Cordon.Client.Jobs;

/// <summary>A chunk of output, as the program wrote it.</summary>
public sealed record JobOutputChunk : JobStreamEvent
{
    /// <summary>Standard output or standard error.</summary>
    public required JobOutputStream Stream { get; init; }

    /// <summary>The text of the chunk.</summary>
    public required string Text { get; init; }
}
