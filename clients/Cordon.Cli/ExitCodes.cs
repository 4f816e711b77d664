namespace Cordon.Cli;

/// <summary>
/// The exit codes of <c>cordon</c>. <c>run</c> and <c>session exec</c> exit with the program's own exit code when
/// it exited by itself; the codes below describe everything else. Signals follow the shell (128 + signal number),
/// sysexits(3) covers the CLI's own failures and GNU <c>timeout</c> the time limit.
/// </summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A failure not covered below (an API error, an unexpected answer).</summary>
    public const int Error = 1;

    /// <summary>The command line is wrong.</summary>
    public const int Usage = 2;

    /// <summary>The job's compile step failed (<c>compile_error</c>); the program never ran. EX_DATAERR.</summary>
    public const int CompileError = 65;

    /// <summary><c>cordon audit verify</c> found the chain broken. EX_DATAERR, as <see cref="CompileError"/>.</summary>
    public const int AuditBroken = 65;

    /// <summary>A resource (session, job, file) does not exist for this tenant (404). EX_NOINPUT.</summary>
    public const int NotFound = 66;

    /// <summary>Cordon cannot be reached, or has no capacity (503). EX_UNAVAILABLE.</summary>
    public const int Unavailable = 69;

    /// <summary>The job ended <c>error</c>: an infrastructure failure, not the program's. EX_SOFTWARE.</summary>
    public const int InfrastructureError = 70;

    /// <summary>Refused: missing or invalid token (401), missing scope or policy (403), a <c>rejected</c> job,
    /// or <c>cordon token</c> in Production. EX_NOPERM.</summary>
    public const int Refused = 77;

    /// <summary>Local configuration is missing or wrong (no development signing key). EX_CONFIG.</summary>
    public const int Config = 78;

    /// <summary>The job hit its wall-clock timeout, as GNU <c>timeout</c> reports it.</summary>
    public const int Timeout = 124;

    /// <summary>The job was cancelled (by Ctrl-C or a client), as a shell reports SIGINT.</summary>
    public const int Cancelled = 130;

    /// <summary>The sandbox's memory cgroup killed the program, as a shell reports SIGKILL.</summary>
    public const int MemoryLimit = 137;

    /// <summary>The program's output passed the output limit and it was stopped, as a shell reports SIGPIPE.</summary>
    public const int OutputLimit = 141;

    /// <summary>The exit code of a program killed by a signal: 128 + the signal number.</summary>
    public const int SignalBase = 128;

    /// <summary>The help text listing these codes, shown by the commands that run programs.</summary>
    public const string Description =
        "Exit codes: the program's own exit code when it exited; 128+N when killed by signal N; " +
        "65 compile_error; 124 timeout; 137 memory_limit; 141 output_limit; 130 cancelled; 77 rejected/refused " +
        "(401, 403, policy); 70 infrastructure error; 66 not found; 69 Cordon unreachable or unavailable; " +
        "78 missing local configuration; 2 usage; 1 any other error.";
}
