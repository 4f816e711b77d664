using System.Security.Cryptography;
using System.Text;
using Cordon.Contracts.Runner.V1;
using Cordon.TestSupport;

namespace Cordon.Runner.Tests;

/// <summary>
/// What a job writes in <c>/workspace</c> and <c>/tmp</c> lives in the sandbox's tmpfs, never on the node's disk: a
/// marker written there is found in no file of the runner's data directory (sandbox state, bundle and rootfs
/// included), while the sandbox lives and after it is gone. The marker is made inside the sandbox from a seed, so
/// the request that carried the seed cannot account for a hit.
/// </summary>
[Collection(RunnerCollection.Name)]
public sealed class WorkspaceOnTmpfsTests(RunnerProcess runner)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Marker_WrittenInWorkspaceAndTmp_NeverReachesTheRunnersDisk()
    {
        var seed = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var marker = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(seed))));
        var id = (await runner.Client.CreateSandboxAsync(new CreateSandboxRequest { Tenant = "test", Language = "python" }, runner.Auth, cancellationToken: Token)).SandboxId;
        try
        {
            var write = await ExecAsync(id, $$"""
                import hashlib, os
                marker = hashlib.sha256(b"{{seed}}").hexdigest().encode()
                for path in ("/workspace/marker.bin", "/tmp/marker.bin", "/workspace/deep/er/marker.txt"):
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    with open(path, "wb") as f:
                        f.write(marker * 4096)
                        f.flush()
                        os.fsync(f.fileno())
                print(len(marker))
                """);
            Assert.True(write.Result.Status == ExecStatus.Succeeded, write.ToString());
            Assert.Equal("64\n", write.Stdout);
            var read = await ExecAsync(id, "print(open('/workspace/marker.bin','rb').read(64).decode())");
            Assert.Equal(Encoding.ASCII.GetString(marker) + "\n", read.Stdout); // the control: the marker is there

            Assert.Empty(await FilesHoldingAsync(runner.DataDirectory, marker));
        }
        finally
        {
            await runner.Client.DestroySandboxAsync(new DestroySandboxRequest { SandboxId = id }, runner.Auth, cancellationToken: Token);
        }

        Assert.Empty(await FilesHoldingAsync(runner.DataDirectory, marker));
        // The search's own control: the same marker on a disk is found.
        var control = Directory.CreateTempSubdirectory("cordon-marker-control-");
        await System.IO.File.WriteAllBytesAsync(Path.Combine(control.FullName, "on-disk.bin"), [.. "x"u8, .. marker], Token);
        Assert.Contains("on-disk.bin", await FilesHoldingAsync(control.FullName, marker), StringComparison.Ordinal);
        control.Delete(recursive: true);
    }

    private async Task<JobOutcome> ExecAsync(string id, string code)
    {
        var request = new ExecRequest { SandboxId = id, Mode = ExecMode.Command, Text = "python3 - <<'EOF'\n" + code + "\nEOF" };
        using var call = runner.Client.Exec(request, runner.Auth, cancellationToken: Token);
        return await JobOutcome.ReadAsync(call, Token);
    }

    /// <summary>
    /// Every file under <paramref name="root"/> whose bytes hold <paramref name="marker"/>: grep reads regular files
    /// only (devices, FIFOs and sockets skipped, links not followed) and exits 1 when none matches.
    /// </summary>
    private static async Task<string> FilesHoldingAsync(string root, byte[] marker)
    {
        var grep = await ChildProcess.RunAsync(
            ChildProcess.CreateStartInfo("grep", ["-rlaF", "-D", "skip", "--", Encoding.ASCII.GetString(marker), root]), TimeSpan.FromMinutes(2), Token);
        Assert.True(grep.ExitCode is 0 or 1, grep.Output);
        return grep.Stdout;
    }
}
