using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Cordon.Runner.Agent;
using Cordon.Runner.Native;

namespace Cordon.Runner.Oci;

/// <summary>
/// runc (or a CLI-compatible runtime: runsc, crun) driven as a command, with its own state root under the
/// runner's data directory so runners sharing a host never see each other's containers. <paramref name="flags"/>
/// are the runtime's global flags (runsc: <c>--network=none</c>, its platform), given before every verb.
/// </summary>
internal sealed class RuncRuntime(string binary, IReadOnlyList<string> flags, string stateRoot) : IOciRuntime
{
    /// <summary>The runtime's name and version once <see cref="InitializeAsync"/> has run.</summary>
    public string Describe { get; private set; } = "the OCI runtime";

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(stateRoot);
        int exit;
        string output;
        try
        {
            (exit, output) = await RunAsync(binary, ["--version"], cancellationToken);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new OciRuntimeException($"cannot run the OCI runtime '{binary}' ({e.Message}): install it or set Cordon:Runner:OciRuntime");
        }

        if (exit != 0)
        {
            throw new OciRuntimeException($"{binary} --version failed: {output}");
        }

        var first = output.Split('\n')[0].Trim(); // "runc version 1.1.5+ds1"
        Describe = first.Replace(" version", "", StringComparison.Ordinal);
    }

    public async Task RunDetachedAsync(string id, string bundleDirectory, SafeHandle stdin, AgentLog log, CancellationToken cancellationToken)
    {
        if (OciRuntimeFlags.IsRunsc(binary))
        {
            await RunscBundle.AdaptAsync(bundleDirectory, cancellationToken);
        }

        // Detached and without a terminal, runc and runsc hand their own stdio to the container's init: the
        // control channel as stdin, the log as stdout and stderr (their own error messages land there too).
        var exit = await StdioSpawn.RunAsync([binary, .. Verb("run"), "--detach", "--bundle", bundleDirectory, id], stdin, log.ContainerEnd, cancellationToken);
        if (exit != 0)
        {
            throw new OciRuntimeException($"{Describe} run {id} failed ({exit}): {Tail(await log.ReadAsync(cancellationToken))}");
        }
    }

    public async Task DeleteForceAsync(string id, CancellationToken cancellationToken)
    {
        // `runc delete --force` on a running container polls for its death in 100 ms steps; on a stopped one it
        // does not. SIGKILL to the init ends the whole pid namespace at once.
        await RuncInit.KillAsync(Path.Combine(stateRoot, id, "state.json"), cancellationToken);
        var (exit, output) = await RunAsync(binary, [.. Verb("delete"), "--force", id], cancellationToken);
        if (exit != 0 && !output.Contains("does not exist", StringComparison.Ordinal) && !output.Contains("not exist", StringComparison.Ordinal))
        {
            throw new OciRuntimeException($"{Describe} delete {id} failed ({exit}): {Tail(output)}");
        }
    }

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        var (exit, output) = await RunAsync(binary, [.. Verb("list"), "--format", "json"], cancellationToken);
        if (exit != 0 || string.IsNullOrWhiteSpace(output) || output.Trim() == "null")
        {
            return [];
        }

        using var document = JsonDocument.Parse(output);
        return [.. document.RootElement.EnumerateArray().Select(c => c.GetProperty("id").GetString()!)];
    }

    private List<string> Verb(string verb) => [.. flags, "--root", stateRoot, verb];

    private static string Tail(string text) => text.Length <= 2000 ? text : text[^2000..];

    private static async Task<(int Exit, string Output)> RunAsync(string binary, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(binary, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info) ?? throw new OciRuntimeException($"could not start {binary}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, (await stdout) + (await stderr));
    }
}
