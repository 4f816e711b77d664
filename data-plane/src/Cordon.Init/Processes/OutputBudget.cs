using Cordon.Contracts.Runner.Agent;

namespace Cordon.Init.Processes;

/// <summary>The combined stdout+stderr allowance of one request (0 = unlimited); the first overflow is final.</summary>
internal sealed class OutputBudget(long limit)
{
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _used;

    public bool Limited { get; private set; }
    public bool StdoutTruncated { get; private set; }
    public bool StderrTruncated { get; private set; }

    /// <summary>Completes when the limit is first exceeded.</summary>
    public Task Reached => _reached.Task;

    /// <summary>How many of <paramref name="count"/> new bytes of <paramref name="kind"/> may be forwarded.</summary>
    public int Take(AgentFrameKind kind, int count)
    {
        lock (_lock)
        {
            if (Limited)
            {
                return 0;
            }

            if (limit <= 0 || _used + count <= limit)
            {
                _used += count;
                return count;
            }

            var allowed = (int)(limit - _used);
            _used = limit;
            Limited = true;
            if (kind == AgentFrameKind.Stdout)
            {
                StdoutTruncated = true;
            }
            else
            {
                StderrTruncated = true;
            }

            _reached.TrySetResult();
            return allowed;
        }
    }
}
