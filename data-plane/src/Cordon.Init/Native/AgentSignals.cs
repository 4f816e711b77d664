namespace Cordon.Init.Native;

/// <summary>
/// PID 1 of a pid namespace receives a signal from inside only when it has a handler for it, so the agent keeps
/// none a job could use: the .NET runtime's SIGTERM (shutdown) and SIGCONT (terminal) handlers go back to the
/// default, which for PID 1 means the signal is dropped. What the runtime still catches (SIGSEGV/SIGFPE for
/// null-reference and divide checks, glibc's internal real-time signals) is out of the job's reach because the
/// job runs as another uid: kill(1, …) fails with EPERM before any of it matters. The runner ends a sandbox with
/// SIGKILL from outside, which always works.
/// </summary>
internal static class AgentSignals
{
    private const int Sighup = 1;
    private const int Sigusr1 = 10;
    private const int Sigusr2 = 12;
    private const int Sigterm = 15;
    private const int Sigcont = 18;

    public static void CatchNone()
    {
        foreach (var signal in new[] { Sighup, Sigusr1, Sigusr2, Sigterm, Sigcont })
        {
            Libc.signal(signal, 0); // SIG_DFL
        }
    }
}
