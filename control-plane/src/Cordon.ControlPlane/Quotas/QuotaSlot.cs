namespace Cordon.ControlPlane.Quotas;

/// <summary>
/// A slot taken for work that is not yet safely handed over: disposed without <see cref="Keep"/> (the store or the
/// queue failed), it is given back, so a refused or failed request never holds a place.
/// </summary>
internal sealed class QuotaSlot(Func<ValueTask>? release) : IAsyncDisposable
{
    /// <summary>For work no quota counts (a session execution).</summary>
    public static readonly QuotaSlot None = new(null);

    private Func<ValueTask>? _release = release;

    /// <summary>The work was handed over: whoever drives it now releases the slot.</summary>
    public void Keep() => _release = null;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _release, null) is { } release)
        {
            await release();
        }
    }
}
