using System.Collections.Concurrent;

namespace Cordon.ControlPlane.Jobs;

/// <summary>The cancellation handle of every unfinished job this process drives, and why it was cancelled.</summary>
internal sealed class JobCancellations
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public CancellationToken Register(string jobId) => _entries.GetOrAdd(jobId, _ => new Entry()).Source.Token;

    public void SetRunner(string jobId, string runnerId)
    {
        if (_entries.TryGetValue(jobId, out var entry))
        {
            entry.RunnerId = runnerId;
        }
    }

    /// <summary>Cancels the job if this process drives it; the first reason wins.</summary>
    public bool Cancel(string jobId, CancelReason reason, string? detail = null)
    {
        if (!_entries.TryGetValue(jobId, out var entry))
        {
            return false;
        }

        lock (entry)
        {
            if (entry.Reason == CancelReason.None)
            {
                entry.Reason = reason;
                entry.Detail = detail;
            }
        }

        entry.Source.Cancel();
        return true;
    }

    public void CancelRunner(string runnerId, string detail)
    {
        foreach (var (jobId, entry) in _entries)
        {
            if (entry.RunnerId == runnerId)
            {
                Cancel(jobId, CancelReason.RunnerLost, detail);
            }
        }
    }

    public void CancelAll(CancelReason reason, string detail)
    {
        foreach (var jobId in _entries.Keys)
        {
            Cancel(jobId, reason, detail);
        }
    }

    public (CancelReason Reason, string? Detail) ReasonFor(string jobId) =>
        _entries.TryGetValue(jobId, out var entry) ? (entry.Reason, entry.Detail) : (CancelReason.None, null);

    public void Remove(string jobId)
    {
        if (_entries.TryRemove(jobId, out var entry))
        {
            entry.Source.Dispose();
        }
    }

    private sealed class Entry
    {
        public CancellationTokenSource Source { get; } = new();

        public string? RunnerId { get; set; }

        public CancelReason Reason { get; set; }

        public string? Detail { get; set; }
    }
}
