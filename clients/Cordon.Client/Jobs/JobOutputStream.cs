namespace Cordon.Client.Jobs;

/// <summary>Which output stream a <see cref="JobOutputChunk"/> came from.</summary>
public enum JobOutputStream
{
    /// <summary>Standard output.</summary>
    Stdout,

    /// <summary>Standard error.</summary>
    Stderr,
}
