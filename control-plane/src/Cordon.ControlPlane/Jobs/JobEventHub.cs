using System.Collections.Concurrent;

namespace Cordon.ControlPlane.Jobs;

/// <summary>
/// Wakes the readers of a job (SSE streams, waiting requests) when its events or status change. The events
/// themselves are in the store; this only says "look again".
/// </summary>
internal sealed class JobEventHub
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _signals = new(StringComparer.Ordinal);

    /// <summary>A task that completes at the next pulse of the job. Take it before reading the store.</summary>
    public Task NextPulse(string jobId) =>
        _signals.GetOrAdd(jobId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Pulse(string jobId, bool final = false)
    {
        if (final)
        {
            if (_signals.TryRemove(jobId, out var last))
            {
                last.TrySetResult();
            }

            return;
        }

        // Nobody waiting: nothing to wake. Otherwise swap in a fresh signal and complete the old one.
        while (_signals.TryGetValue(jobId, out var current))
        {
            if (_signals.TryUpdate(jobId, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), current))
            {
                current.TrySetResult();
                return;
            }
        }
    }
}
