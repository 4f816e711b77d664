using Microsoft.Extensions.Options;

namespace Cordon.Runner.Configuration;

/// <summary>
/// Checks what data annotations cannot: that the paths the runner will use exist. Runs on start, before any
/// directory is made or sandbox reaped, so a wrong setting stops the runner with a message saying how to fix it.
/// </summary>
internal sealed class RunnerOptionsValidator : IValidateOptions<RunnerOptions>
{
    private const string Section = RunnerOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, RunnerOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDir))
        {
            failures.Add($"{Section}:DataDir is empty: set it to the directory for sandbox state (default $CORDON_DATA_DIR/runner)");
        }

        if (!string.IsNullOrWhiteSpace(options.InitPath) && !File.Exists(options.InitPath))
        {
            failures.Add($"{Section}:InitPath '{options.InitPath}' does not exist: point it at the cordon-init binary (make build puts it in bin/) or unset it");
        }

        if (!string.IsNullOrWhiteSpace(options.RuntimesPath) && !File.Exists(Path.Combine(options.RuntimesPath, "defaults.json")))
        {
            failures.Add($"{Section}:RuntimesPath '{options.RuntimesPath}' has no defaults.json: point it at the runtimes registry (deploy/runtimes) or unset it");
        }

        if (!Directory.Exists(options.HostUsr))
        {
            failures.Add($"{Section}:HostUsr '{options.HostUsr}' is not a directory: set it to the host directory bound read-only at /usr in sandboxes");
        }

        if (options.MaxSandboxAge < TimeSpan.FromSeconds(1) || options.MaxSandboxAge > TimeSpan.FromDays(365))
        {
            failures.Add($"{Section}:MaxSandboxAge is {options.MaxSandboxAge}: set it between 00:00:01 and 365.00:00:00 (default 1.00:00:00, above the longest session TTL)");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
