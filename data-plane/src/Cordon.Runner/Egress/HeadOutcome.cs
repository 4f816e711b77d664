namespace Cordon.Runner.Egress;

internal enum HeadOutcome
{
    Complete,
    /// <summary>The client closed before finishing its head.</summary>
    Closed,
    /// <summary>No blank line within <see cref="HeadReader.MaxHeadBytes"/>: 431.</summary>
    TooLarge,
    /// <summary>Not finished within the header timeout: 408.</summary>
    TimedOut,
    /// <summary>A byte no HTTP head holds (a TLS hello, binary): 400 at once, without waiting for more.</summary>
    Garbage,
}
