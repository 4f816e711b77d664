using Cordon.Runner.Egress;
using Cordon.Runner.Oci;
using Microsoft.Extensions.Options;

namespace Cordon.Runner.Configuration;

/// <summary>
/// Checks what data annotations cannot: that the paths the runner will use exist. Runs on start, before any
/// directory is made or sandbox reaped, so a wrong setting stops the runner with a message saying how to fix it.
/// </summary>
internal sealed class RunnerOptionsValidator : IValidateOptions<RunnerOptions>
{
    private const string Section = RunnerOptions.SectionName;

    /// <summary>
    /// A Unix socket path holds at most 107 bytes (sun_path is 108 with its NUL); a sandbox's egress proxy socket is
    /// <c>DataDir/sandboxes/sbx-&lt;16 hex&gt;/egress/proxy.sock</c>, 49 bytes past the data directory.
    /// </summary>
    public const int MaxDataDirBytes = 107 - 49;

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

        if (!string.IsNullOrWhiteSpace(options.DataDir)
            && System.Text.Encoding.UTF8.GetByteCount(Path.GetFullPath(options.DataDir)) is var bytes and > MaxDataDirBytes)
        {
            failures.Add($"{Section}:DataDir '{Path.GetFullPath(options.DataDir)}' is {bytes} bytes long: a sandbox's egress proxy socket under it would pass the 107-byte limit of a Unix socket path; use a directory of at most {MaxDataDirBytes} bytes");
        }

        if (OciRuntimeFlags.IsRunsc(options.OciRuntime) && options.RuntimeFlags is { Length: > 0 } flags && !AdmitsHostSockets(flags))
        {
            failures.Add($"{Section}:RuntimeFlags for runsc lack --host-uds=open: a sandbox with egress reaches its proxy through a host Unix socket bound into it ({SandboxEgress.SocketInSandbox}), which runsc refuses without it; add --host-uds=open or leave RuntimeFlags unset for runsc's defaults");
        }

        if (options.MaxSandboxAge < TimeSpan.FromSeconds(1) || options.MaxSandboxAge > TimeSpan.FromDays(365))
        {
            failures.Add($"{Section}:MaxSandboxAge is {options.MaxSandboxAge}: set it between 00:00:01 and 365.00:00:00 (default 1.00:00:00, above the longest session TTL)");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Whether the last <c>--host-uds</c> flag given lets a sandbox connect to a bound host socket.</summary>
    private static bool AdmitsHostSockets(IReadOnlyList<string> flags) =>
        flags.LastOrDefault(f => f.StartsWith("--host-uds=", StringComparison.Ordinal)) is "--host-uds=open" or "--host-uds=all";
}
