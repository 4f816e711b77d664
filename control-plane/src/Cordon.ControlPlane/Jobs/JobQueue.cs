using System.Threading.Channels;
using Cordon.ControlPlane.Problems;
using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Jobs;

/// <summary>
/// Admission: a bounded number of jobs may wait for a worker. A slot is reserved before the job is stored, so a
/// stored job is always enqueued, and a full queue answers 429 + Retry-After instead of dropping work.
/// </summary>
internal sealed class JobQueue(IOptions<JobsOptions> options)
{
    private readonly Channel<JobWorkItem> _channel = Channel.CreateUnbounded<JobWorkItem>(new UnboundedChannelOptions { SingleReader = false });
    private int _reserved;

    public ChannelReader<JobWorkItem> Reader => _channel.Reader;

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

    /// <summary>A worker took an item off the queue: its place is free again.</summary>
    public void Taken() => Interlocked.Decrement(ref _reserved);

    internal sealed class Reservation(JobQueue queue) : IDisposable
    {
        private bool _done;

        public void Enqueue(JobWorkItem item)
        {
            if (!queue._channel.Writer.TryWrite(item))
            {
                throw new InvalidOperationException("The job queue is closed.");
            }

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
