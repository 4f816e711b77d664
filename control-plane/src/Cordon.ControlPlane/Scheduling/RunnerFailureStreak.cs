namespace Cordon.ControlPlane.Scheduling;

/// <summary>
/// The failed health checks of one runner since its last success. A runner is lost only when the streak is both
/// long enough in count and in time, so one slow answer or a stall of a few seconds never ends its sessions.
/// </summary>
internal sealed class RunnerFailureStreak
{
    private readonly Lock _lock = new();
    private int _count;
    private DateTimeOffset _since;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>Records a failed check that started at <paramref name="checkStartedAt"/>; true when the runner is now lost.</summary>
    public bool Fail(DateTimeOffset checkStartedAt, DateTimeOffset now, int failuresBeforeDown, TimeSpan downAfter)
    {
        lock (_lock)
        {
            if (_count++ == 0)
            {
                _since = checkStartedAt;
            }

            return _count >= failuresBeforeDown && now - _since >= downAfter;
        }
    }

    public void Reset()
    {
        lock (_lock)
        {
            _count = 0;
        }
    }
}
