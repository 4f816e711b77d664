namespace Cordon.Init.Processes;

/// <summary>Decodes a <c>waitpid</c> status into an exit code or a signal name.</summary>
internal static class ExitStatus
{
    private static readonly string[] Names =
    [
        "SIG0", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
        "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
        "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
        "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ];

    public static (int? ExitCode, string? Signal) Decode(int status)
    {
        var signal = status & 0x7f;
        if (signal == 0)
        {
            return ((status >> 8) & 0xff, null);
        }

        return (null, signal < Names.Length ? Names[signal] : $"SIG{signal}");
    }
}
