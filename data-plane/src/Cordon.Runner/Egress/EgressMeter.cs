namespace Cordon.Runner.Egress;

/// <summary>
/// One sandbox's counters and limits: open connections against <see cref="EgressOptions.MaxConnections"/>, bytes
/// against <see cref="EgressOptions.MaxBytes"/>. A chunk is counted before it is forwarded, so the cap is never
/// passed; the first chunk that would pass it trips <see cref="Exhausted"/>, which closes every tunnel.
/// </summary>
internal sealed class EgressMeter(int maxConnections, long maxBytes) : IDisposable
{
    private readonly CancellationTokenSource _exhausted = new();
    private long _connections;
    private long _denied;
    private long _bytesOut;
    private long _bytesIn;
    private long _bytes;
    private int _open;

    /// <summary>Cancelled once the byte limit is reached.</summary>
    public CancellationToken Exhausted => _exhausted.Token;

    public bool IsExhausted => _exhausted.IsCancellationRequested;

    public EgressTotals Totals => new(
        Interlocked.Read(ref _connections), Interlocked.Read(ref _denied), Interlocked.Read(ref _bytesOut), Interlocked.Read(ref _bytesIn));

    /// <summary>
    /// Counts a new connection as open (until <see cref="Exit"/>): <see cref="Admission.Open"/> within the limit,
    /// <see cref="Admission.Refuse"/> past it (answered 429), <see cref="Admission.Drop"/> past twice the limit,
    /// closed unanswered so a sandbox opening connections in a loop cannot run the runner out of descriptors.
    /// </summary>
    public Admission Enter()
    {
        Interlocked.Increment(ref _connections);
        var open = Interlocked.Increment(ref _open);
        return open <= maxConnections ? Admission.Open : open <= 2L * maxConnections ? Admission.Refuse : Admission.Drop;
    }

    public void Exit() => Interlocked.Decrement(ref _open);

    public void CountDenied() => Interlocked.Increment(ref _denied);

    /// <summary>Takes <paramref name="count"/> bytes from the budget; false (and the limit tripped) when they do not fit.</summary>
    public bool TryConsume(int count, bool outbound)
    {
        if (Interlocked.Add(ref _bytes, count) > maxBytes)
        {
            Interlocked.Add(ref _bytes, -count);
            Trip();
            return false;
        }

        Interlocked.Add(ref outbound ? ref _bytesOut : ref _bytesIn, count);
        return true;
    }

    public void Dispose() => _exhausted.Dispose();

    private void Trip()
    {
        try
        {
            _exhausted.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The proxy is gone; nothing is left to close.
        }
    }
}
