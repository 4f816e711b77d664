using Cordon.Contracts.Jobs;

namespace Cordon.Cli;

/// <summary>Maps a finished job (or session execution) to the CLI's exit code and explains why it ended.</summary>
internal static class JobOutcome
{
    private static readonly Dictionary<string, int> Signals = new(StringComparer.OrdinalIgnoreCase)
    {
        ["SIGHUP"] = 1,
        ["SIGINT"] = 2,
        ["SIGQUIT"] = 3,
        ["SIGILL"] = 4,
        ["SIGTRAP"] = 5,
        ["SIGABRT"] = 6,
        ["SIGBUS"] = 7,
        ["SIGFPE"] = 8,
        ["SIGKILL"] = 9,
        ["SIGUSR1"] = 10,
        ["SIGSEGV"] = 11,
        ["SIGUSR2"] = 12,
        ["SIGPIPE"] = 13,
        ["SIGALRM"] = 14,
        ["SIGTERM"] = 15,
        ["SIGXCPU"] = 24,
        ["SIGXFSZ"] = 25,
        ["SIGSYS"] = 31,
    };

    public static int ExitCode(Job job) => job.Status switch
    {
        JobStatus.Succeeded => job.ExitCode ?? ExitCodes.Success,
        JobStatus.Failed when job.ExitCode is { } code and not 0 => code,
        JobStatus.Failed when SignalNumber(job.Signal) is { } signal => ExitCodes.SignalBase + signal,
        JobStatus.Failed => ExitCodes.Error,
        JobStatus.CompileError => ExitCodes.CompileError,
        JobStatus.Timeout => ExitCodes.Timeout,
        JobStatus.MemoryLimit => ExitCodes.MemoryLimit,
        JobStatus.OutputLimit => ExitCodes.OutputLimit,
        JobStatus.Cancelled => ExitCodes.Cancelled,
        JobStatus.Rejected => ExitCodes.Refused,
        JobStatus.Error => ExitCodes.InfrastructureError,
        _ => ExitCodes.Error,
    };

    /// <summary>Why the job ended, when it was not the program's own exit (one line for stderr), else null.</summary>
    public static string? Explain(Job job)
    {
        var reason = job.Status switch
        {
            JobStatus.Succeeded => null,
            JobStatus.Failed when job.Signal is { Length: > 0 } signal => $"killed by {signal}",
            JobStatus.Failed => null,
            JobStatus.CompileError => "compile error",
            JobStatus.Timeout => job.DurationMs is { } ms ? $"timed out after {ms} ms" : "timed out",
            JobStatus.MemoryLimit => "killed: memory limit reached",
            JobStatus.OutputLimit => "stopped: output limit reached (output truncated)",
            JobStatus.Cancelled => "cancelled",
            JobStatus.Rejected => "rejected",
            JobStatus.Error => "failed in Cordon",
            _ => $"ended {job.Status.ToWireName()}",
        };
        if (reason is null)
        {
            return null;
        }

        return string.IsNullOrWhiteSpace(job.Error)
            ? $"job {job.Id} {reason}"
            : $"job {job.Id} {reason}: {job.Error.ReplaceLineEndings(" ").Trim()}";
    }

    private static int? SignalNumber(string? signal)
    {
        if (string.IsNullOrWhiteSpace(signal))
        {
            return null;
        }

        signal = signal.Trim();
        if (int.TryParse(signal, System.Globalization.CultureInfo.InvariantCulture, out var number) && number is > 0 and < 128)
        {
            return number;
        }

        return Signals.TryGetValue(signal.StartsWith("SIG", StringComparison.OrdinalIgnoreCase) ? signal : "SIG" + signal, out var known) ? known : null;
    }
}
