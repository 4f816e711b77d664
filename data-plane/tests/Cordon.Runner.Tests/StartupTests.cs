using System.Diagnostics;
using Cordon.TestSupport;

namespace Cordon.Runner.Tests;

/// <summary>The real runner binary refusing a bad setting: the validator's message, a named exit code, nothing made on disk.</summary>
public sealed class StartupTests
{
    private const int InvalidConfiguration = 78;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("serve", "Cordon__Runner__Capacity", "-1", "The field Capacity must be between 0 and 4096.")]
    [InlineData("serve", "Cordon__Runner__MaxSandboxAge", "00:00:00", "Cordon:Runner:MaxSandboxAge is 00:00:00: set it between 00:00:01 and 365.00:00:00")]
    [InlineData("serve", "Cordon__Runner__HostUsr", "/no/such/usr", "Cordon:Runner:HostUsr '/no/such/usr' is not a directory")]
    [InlineData("exec", "Cordon__Runner__InitPath", "/no/such/cordon-init", "Cordon:Runner:InitPath '/no/such/cordon-init' does not exist")]
    public async Task Start_BadSetting_ExitsWithTheValidatorsMessage(string verb, string variable, string value, string message)
    {
        var root = Directory.CreateTempSubdirectory("cordon-runner-startup-");
        var dataDirectory = Path.Combine(root.FullName, "data");
        string[] args = verb == "serve" ? ["serve", "--urls", "http://127.0.0.1:0"] : ["exec", "--language", "bash", "--code", "echo hi"];
        var info = new ProcessStartInfo(RunnerProcess.RunnerBinary(), args) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["Cordon__Runner__DataDir"] = dataDirectory;
        info.Environment[variable] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Token);
        var stderr = process.StandardError.ReadToEndAsync(Token);
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(Token);
        patience.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(patience.Token);

        var errors = await stderr;
        Assert.Equal(InvalidConfiguration, process.ExitCode);
        Assert.Contains(message, errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal); // no stack trace
        Assert.DoesNotContain("Unhandled exception", errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dataDirectory), "nothing may be created before the settings are valid");
        if (verb == "exec")
        {
            Assert.Contains("\"status\":\"error\"", await stdout, StringComparison.Ordinal);
        }

        root.Delete(recursive: true);
    }

    [Fact]
    public async Task Exec_CallerWithARestrictiveUmask_StillRunsTheJob()
    {
        // The control plane sets umask 077 for itself, and tests start runners from its process: the runner's root
        // filesystem must still be one a sandbox uid can enter (it was not: "lstat rootfs/proc: permission denied").
        var root = TraversableTempDirectory.Create("cordon-runner-umask-");
        var info = ChildProcess.CreateStartInfo("/bin/sh", ["-c", "umask 077 && exec \"$@\"", "sh", RunnerProcess.RunnerBinary(), "exec", "--language", "bash", "--code", "echo hi from a 077 caller"]);
        info.Environment["Cordon__Runner__DataDir"] = Path.Combine(root, "data");

        var run = await ChildProcess.RunAsync(info, TimeSpan.FromSeconds(120), Token);

        Assert.True(run.Stdout.Contains("\"status\":\"succeeded\"", StringComparison.Ordinal), run.Output);
        Assert.Contains("hi from a 077 caller", run.Stdout, StringComparison.Ordinal);
        TraversableTempDirectory.TryDelete(root);
    }
}
