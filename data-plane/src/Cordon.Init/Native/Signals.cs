namespace Cordon.Init.Native;

/// <summary>Signal names for exit reports (x86_64 / aarch64 numbering).</summary>
internal static class Signals
{
    private static readonly string[] Names =
    [
        "SIG0", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
        "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
        "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
        "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ];

    public static string Name(int signal) => signal >= 0 && signal < Names.Length ? Names[signal] : $"SIG{signal}";
}
