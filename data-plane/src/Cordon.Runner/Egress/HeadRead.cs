namespace Cordon.Runner.Egress;

/// <summary>
/// How reading a request head ended. <see cref="HeadLength"/> counts the blank line; bytes past it up to
/// <see cref="Buffered"/> are the first of the body or the tunnel, to be forwarded.
/// </summary>
internal readonly record struct HeadRead(HeadOutcome Outcome, int HeadLength, int Buffered);
