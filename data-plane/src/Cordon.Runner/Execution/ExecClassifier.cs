using Cordon.Contracts.Runner.Agent;
using Cordon.Contracts.Runner.V1;

namespace Cordon.Runner.Execution;

/// <summary>
/// Says why a program ended, in the order that explains it best: the output limit (the agent cut it), the
/// memory cgroup (its OOM counter moved and the program died of it), the wall clock, then the program's own exit.
/// </summary>
internal static class ExecClassifier
{
    public static (ExecStatus Status, string Error) Classify(AgentExit exit, bool oomKilled, long timeoutMs, int memoryMb, long outputBytes)
    {
        if (exit.OutputLimited)
        {
            return (ExecStatus.OutputLimit, $"output exceeded the limit of {outputBytes} bytes and was cut");
        }

        if (oomKilled && (exit.Signal == "SIGKILL" || exit.ExitCode is not 0))
        {
            return (ExecStatus.MemoryLimit, $"the sandbox's memory limit of {memoryMb} MiB was exceeded (killed by the memory cgroup)");
        }

        if (exit.TimedOut)
        {
            return (ExecStatus.Timeout, $"wall-clock timeout of {timeoutMs} ms exceeded");
        }

        if (exit.ExitCode == 0)
        {
            return (ExecStatus.Succeeded, "");
        }

        return exit.Signal is { } signal
            ? (ExecStatus.Failed, $"killed by {signal}")
            : (ExecStatus.Failed, $"exited with code {exit.ExitCode}");
    }
}
