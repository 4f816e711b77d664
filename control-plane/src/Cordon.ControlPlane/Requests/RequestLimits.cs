using System.Text;
using Cordon.Contracts.Jobs;
using Cordon.ControlPlane.Problems;
using Microsoft.Extensions.Options;
using RunnerV1 = Cordon.Contracts.Runner.V1;

namespace Cordon.ControlPlane.Requests;

/// <summary>
/// The <c>Cordon:Limits</c> bounds as jobs and sessions both check them: resource limits, process input (args,
/// stdin, env) and timeouts.
/// </summary>
internal sealed class RequestLimits(IOptions<LimitsOptions> options)
{
    public LimitsOptions Max => options.Value;

    /// <summary>Limits as the runner takes them: 0 where a limit is unset (the runtime's default applies).</summary>
    public static RunnerV1.Limits ToRunner(ResourceLimits limits) => new()
    {
        TimeoutMs = limits.TimeoutMs ?? 0,
        MemoryMb = limits.MemoryMb ?? 0,
        Cpus = limits.Cpus ?? 0,
        Pids = limits.Pids ?? 0,
        OutputBytes = limits.OutputBytes ?? 0,
        DiskMb = limits.DiskMb ?? 0,
    };

    /// <summary>Checks the requested limits; returns them as the runner takes them (0 = the runtime's default).</summary>
    public RunnerV1.Limits CheckLimits(ResourceLimits? limits, string field, ValidationErrors errors)
    {
        limits ??= new ResourceLimits();
        Check(limits.TimeoutMs, 1, Max.MaxTimeoutMs, "timeoutMs");
        Check(limits.MemoryMb, 16, Max.MaxMemoryMb, "memoryMb");
        Check(limits.Pids, 1, Max.MaxPids, "pids");
        Check(limits.OutputBytes, 1, Max.MaxOutputBytes, "outputBytes");
        Check(limits.DiskMb, 1, Max.MaxDiskMb, "diskMb");
        if (limits.Cpus is { } cpus && (double.IsNaN(cpus) || cpus <= 0 || cpus > Max.MaxCpus))
        {
            errors.Add($"{field}.cpus", $"cpus must be above 0 and at most {Max.MaxCpus}.");
        }

        return ToRunner(limits);

        void Check(long? value, long min, long max, string name)
        {
            if (value is { } v && (v < min || v > max))
            {
                errors.Add($"{field}.{name}", $"{name} must be between {min} and {max}.");
            }
        }
    }

    public void CheckTimeout(long? timeoutMs, string field, ValidationErrors errors)
    {
        if (timeoutMs is { } t && (t < 1 || t > Max.MaxTimeoutMs))
        {
            errors.Add(field, $"{field} must be between 1 and {Max.MaxTimeoutMs}.");
        }
    }

    /// <summary>What a started process receives: arguments, standard input and environment.</summary>
    public void CheckProcessInput(IReadOnlyList<string>? args, string? stdin, IReadOnlyDictionary<string, string>? env, ValidationErrors errors)
    {
        if (args is { Count: var argCount } && argCount > Max.MaxArgs)
        {
            errors.Add("args", $"At most {Max.MaxArgs} arguments are allowed.");
        }

        if (args?.Any(a => a.Contains('\0', StringComparison.Ordinal)) == true)
        {
            errors.Add("args", "Arguments cannot contain NUL characters.");
        }

        if (stdin is not null && Encoding.UTF8.GetByteCount(stdin) > Max.MaxStdinBytes)
        {
            errors.Add("stdin", $"stdin is larger than {Max.MaxStdinBytes} bytes.");
        }

        if (env is { Count: var envCount } && envCount > Max.MaxEnv)
        {
            errors.Add("env", $"At most {Max.MaxEnv} environment variables are allowed.");
        }

        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            if (key.Length == 0 || key.Contains('=', StringComparison.Ordinal) || key.Contains('\0', StringComparison.Ordinal) || value.Contains('\0', StringComparison.Ordinal))
            {
                errors.Add("env", $"'{key}' is not a valid environment variable (no '=', no NUL, not empty).");
            }
        }
    }
}
