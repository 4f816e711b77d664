using Cordon.ControlPlane.Problems;
using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Jobs;

/// <summary>
/// Admission: a bounded number of jobs may wait for a worker. A slot is reserved before the job is stored, so a
/// stored job is always enqueued, and a full queue answers 429 + Retry-After instead of dropping work.
/// Waiting jobs are kept per tenant, and <see cref="Candidates"/> offers each tenant's oldest, the tenant served
/// longest ago first (one never served before any other): a tenant's burst waits behind its own jobs, not in front of
/// another tenant's. Session executions wait in a queue of their own, offered first: they need neither runner capacity
/// (the session's sandbox exists) nor a job slot.
/// </summary>
internal sealed class JobQueue(IOptions<JobsOptions> options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Queue<JobWorkItem>> _byTenant = new(StringComparer.Ordinal);
    private readonly Queue<JobWorkItem> _executions = new();
    private readonly Dictionary<string, long> _lastServed = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _turn;
    private int _reserved;

    public int Waiting => Volatile.Read(ref _reserved);

    /// <summary>Reserves a place in the queue or throws 429.</summary>
    public Reservation Reserve()
    {
        if (Interlocked.Increment(ref _reserved) > options.Value.QueueCapacity)
        {
            Interlocked.Decrement(ref _reserved);
            throw new QueueFullException(
                $"The job queue is full ({options.Value.QueueCapacity} waiting); retry later.",
                TimeSpan.FromSeconds(options.Value.RetryAfterSeconds));
        }

        return new Reservation(this);
    }

    /// <summary>What may be dispatched next, in fair order: the executions, then each waiting tenant's oldest job.</summary>
    public IReadOnlyList<JobWorkItem> Candidates()
    {
        lock (_lock)
        {
            return
            [
                .. _executions,
                .. _byTenant
                    .OrderBy(t => _lastServed.GetValueOrDefault(t.Key))
                    .Select(t => t.Value.Peek()),
            ];
        }
    }

    /// <summary>Takes a candidate off the queue (its place is free again); false when it is no longer at its head.</summary>
    public bool TryTake(JobWorkItem item)
    {
        lock (_lock)
        {
            if (item is SessionExecutionWork)
            {
                if (!_executions.TryPeek(out var head) || !ReferenceEquals(head, item))
                {
                    return false;
                }

                _executions.Dequeue();
            }
            else
            {
                if (!_byTenant.TryGetValue(item.Tenant, out var queue) || !ReferenceEquals(queue.Peek(), item))
                {
                    return false;
                }

                queue.Dequeue();
                if (queue.Count == 0)
                {
                    _byTenant.Remove(item.Tenant);
                }

                _lastServed[item.Tenant] = ++_turn;
            }
        }

        Interlocked.Decrement(ref _reserved);
        return true;
    }

    /// <summary>Waits until something may have changed (work enqueued, a job ended) or <paramref name="timeout"/> passed.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        Task changed;
        lock (_lock)
        {
            changed = _changed.Task;
        }

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, timeProvider, timeoutSource.Token);
        await Task.WhenAny(changed, delay);
        await timeoutSource.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Wakes the dispatcher: work was added or capacity freed.</summary>
    public void Signal()
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    private void Add(JobWorkItem item)
    {
        lock (_lock)
        {
            if (item is SessionExecutionWork)
            {
                _executions.Enqueue(item);
            }
            else
            {
                if (!_byTenant.TryGetValue(item.Tenant, out var queue))
                {
                    queue = new Queue<JobWorkItem>();
                    _byTenant[item.Tenant] = queue;
                }

                queue.Enqueue(item);
            }
        }

        Signal();
    }

    internal sealed class Reservation(JobQueue queue) : IDisposable
    {
        private bool _done;

        public void Enqueue(JobWorkItem item)
        {
            queue.Add(item);
            _done = true;
        }

        public void Dispose()
        {
            if (!_done)
            {
                Interlocked.Decrement(ref queue._reserved);
                _done = true;
            }
        }
    }
}
