using System.Text.Json;
using Cordon.Runner.Hosting;
using Cordon.Runner.Native;

namespace Cordon.Runner.Oci;

/// <summary>
/// Drives runc (or a CLI-compatible runtime: crun, runsc) with its state under the runner's own
/// <c>--root</c>, so the runner only ever sees and reaps its own containers.
/// </summary>
internal sealed class RuncRuntime(string binary, string stateRoot, OciRuntimeInfo info) : IOciRuntime
{
    public OciRuntimeInfo Info { get; } = info;

    public async Task RunDetachedAsync(string id, string bundle, CancellationToken cancellationToken) =>
        await SpawnVerbAsync(id, bundle, ["run", "--detach", "--bundle", bundle, id], cancellationToken);

    public async Task CreateAsync(string id, string bundle, CancellationToken cancellationToken) =>
        await SpawnVerbAsync(id, bundle, ["create", "--bundle", bundle, id], cancellationToken);

    public async Task StartAsync(string id, CancellationToken cancellationToken) =>
        await RunVerbAsync(["start", id], cancellationToken);

    public async Task KillAsync(string id, string signal, bool all, CancellationToken cancellationToken) =>
        await RunVerbAsync(all ? ["kill", "--all", id, signal] : ["kill", id, signal], cancellationToken);

    public async Task DeleteAsync(string id, bool force, CancellationToken cancellationToken) =>
        await RunVerbAsync(force ? ["delete", "--force", id] : ["delete", id], cancellationToken);

    public async Task<string?> StateAsync(string id, CancellationToken cancellationToken)
    {
        var result = await Command.RunAsync(binary, ["--root", stateRoot, "state", id], cancellationToken);
        if (result.ExitCode != 0)
        {
            return null;
        }

        using var document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.GetProperty("status").GetString();
    }

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(stateRoot))
        {
            return [];
        }

        var result = await Command.RunAsync(binary, ["--root", stateRoot, "list", "--quiet"], cancellationToken);
        return result.ExitCode != 0
            ? throw new OciRuntimeException($"{Info.Name} list: {result.Stderr.Trim()}")
            : result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    // create/run leave the container's stdio attached to whatever runc had: /dev/null here, and runc's own
    // errors go to a log file in the bundle instead of a pipe the detached container would keep open.
    private async Task SpawnVerbAsync(string id, string bundle, string[] verb, CancellationToken cancellationToken)
    {
        var log = Path.Combine(bundle, "runtime.log");
        string[] argv = [binary, "--root", stateRoot, "--log", log, "--log-format", "text", .. verb];
        var exit = await Spawner.RunAsync(argv, null, cancellationToken);
        if (exit != 0)
        {
            var detail = File.Exists(log) ? (await File.ReadAllTextAsync(log, cancellationToken)).Trim() : "";
            throw new OciRuntimeException($"{Info.Name} {verb[0]} {id} exited {exit}: {Tail(detail)}");
        }
    }

    private async Task RunVerbAsync(string[] verb, CancellationToken cancellationToken)
    {
        var result = await Command.RunAsync(binary, ["--root", stateRoot, .. verb], cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new OciRuntimeException($"{Info.Name} {verb[0]} exited {result.ExitCode}: {Tail(result.Stderr.Trim())}");
        }
    }

    private static string Tail(string text) => text.Length <= 2000 ? text : text[^2000..];
}
