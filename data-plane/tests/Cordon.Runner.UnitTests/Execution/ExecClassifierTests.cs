using Cordon.Contracts.Runner.Agent;
using Cordon.Contracts.Runner.V1;
using Cordon.Runner.Execution;

namespace Cordon.Runner.UnitTests.Execution;

public sealed class ExecClassifierTests
{
    public static TheoryData<string, int?, string?, bool, bool, bool, ExecStatus, string> Cases => new()
    {
        // name, exit code, signal, timed out, output limited, oom kill seen, status, error
        { "clean exit", 0, null, false, false, false, ExecStatus.Succeeded, "" },
        { "non-zero exit", 3, null, false, false, false, ExecStatus.Failed, "exited with code 3" },
        { "killed by a signal", null, "SIGSEGV", false, false, false, ExecStatus.Failed, "killed by SIGSEGV" },
        { "wall clock", null, "SIGKILL", true, false, false, ExecStatus.Timeout, "wall-clock timeout of 2000 ms exceeded" },
        { "memory cgroup kill", null, "SIGKILL", false, false, true, ExecStatus.MemoryLimit, "the sandbox's memory limit of 64 MiB was exceeded (killed by the memory cgroup)" },
        { "oom exit code", 137, null, false, false, true, ExecStatus.MemoryLimit, "the sandbox's memory limit of 64 MiB was exceeded (killed by the memory cgroup)" },
        { "oom elsewhere, clean exit", 0, null, false, false, true, ExecStatus.Succeeded, "" },
        { "output limit beats the clock", null, "SIGKILL", true, true, false, ExecStatus.OutputLimit, "output exceeded the limit of 4096 bytes and was cut" },
        { "output limit beats memory", null, "SIGKILL", false, true, true, ExecStatus.OutputLimit, "output exceeded the limit of 4096 bytes and was cut" },
        { "memory beats the clock", null, "SIGKILL", true, false, true, ExecStatus.MemoryLimit, "the sandbox's memory limit of 64 MiB was exceeded (killed by the memory cgroup)" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classify_Outcome_GivesStatusAndReason(string name, int? exitCode, string? signal, bool timedOut, bool outputLimited, bool oomKilled, ExecStatus status, string error)
    {
        var exit = new AgentExit { ExitCode = exitCode, Signal = signal, TimedOut = timedOut, OutputLimited = outputLimited, StartedAtUnixMs = 1, DurationMs = 1 };

        var (actualStatus, actualError) = ExecClassifier.Classify(exit, oomKilled, timeoutMs: 2000, memoryMb: 64, outputBytes: 4096);

        Assert.True((status, error) == (actualStatus, actualError), $"{name}: expected {status} '{error}', got {actualStatus} '{actualError}'");
    }
}
