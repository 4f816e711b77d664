using Cordon.Contracts.Jobs;
using Cordon.Contracts.Runner.Agent;

namespace Cordon.Runner.Execution;

/// <summary>
/// Turns what the agent and the cgroup saw into a status. The cgroup's OOM-kill counter wins (a program the
/// memory cgroup killed is <c>memory_limit</c>, even if that also cut it short), then the wall clock, then the
/// output limit, then the program's own exit.
/// </summary>
internal static class OutcomeClassifier
{
    public static (JobStatus Status, string? Error) Classify(AgentExit? exit, long oomKills, bool cancelled, string? agentError)
    {
        if (oomKills > 0)
        {
            return (JobStatus.MemoryLimit, "The sandbox's memory limit was reached; the kernel killed the program.");
        }

        if (cancelled)
        {
            return (JobStatus.Cancelled, "Cancelled.");
        }

        if (exit is null)
        {
            return (JobStatus.Error, agentError ?? "The sandbox agent did not report an exit.");
        }

        if (exit.TimedOut)
        {
            return (JobStatus.Timeout, "The wall-clock timeout expired.");
        }

        if (exit.OutputLimited)
        {
            return (JobStatus.OutputLimit, "Output exceeded the limit and was cut.");
        }

        return exit.ExitCode == 0 && exit.Signal is null ? (JobStatus.Succeeded, null) : (JobStatus.Failed, null);
    }
}
