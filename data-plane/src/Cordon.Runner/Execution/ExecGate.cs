using System.Runtime.CompilerServices;
using Cordon.Runner.Sandboxes;

namespace Cordon.Runner.Execution;

/// <summary>
/// One execution per sandbox at a time. A cancelled exec holds its sandbox's turn until the agent has killed and
/// swept what it started (the agent call waits for that after a cancel), so the next exec — which the caller may
/// send the moment its cancel returns — never runs beside the previous one's leftovers or its cleanup.
/// </summary>
internal static class ExecGate
{
    private static readonly ConditionalWeakTable<Sandbox, SemaphoreSlim> Gates = [];

    public static async Task<IDisposable> EnterAsync(Sandbox sandbox, CancellationToken cancellationToken)
    {
        var gate = Gates.GetValue(sandbox, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Turn(gate);
    }

    private sealed class Turn(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
