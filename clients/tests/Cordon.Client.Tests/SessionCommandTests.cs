namespace Cordon.Client.Tests;

public sealed class SessionCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Session_CreateExecPutGetLsRm_DriveTheApi()
    {
        await using var server = await FakeCordonServer.StartAsync(Ct);
        var env = new Dictionary<string, string?> { ["CORDON_URL"] = server.Url.AbsoluteUri, ["CORDON_TOKEN"] = "t" };
        var dir = Directory.CreateTempSubdirectory("cordon-cli-session-").FullName;
        var local = Path.Combine(dir, "data.csv");
        await File.WriteAllTextAsync(local, "a,b\n1,2\n", Ct);

        var create = await CliProcess.RunAsync(env, null, Ct, "session", "create", "python", "--idle-timeout-sec", "60", "--ttl-sec", "120");
        Assert.Equal((0, "ses-1\n"), (create.ExitCode, create.Stdout));

        var exec = await CliProcess.RunAsync(env, null, Ct, "session", "exec", "ses-1", "-c", "x = 1");
        Assert.Equal((4, "exec out\n", "exec err\n"), (exec.ExitCode, exec.Stdout, exec.Stderr));
        Assert.Equal("x = 1", server.LastExecRequest!.Code);
        Assert.Null(server.LastExecRequest.Command);

        var shell = await CliProcess.RunAsync(env, null, Ct, "session", "exec", "ses-1", "--command", "ls -la");
        Assert.Equal("ls -la", server.LastExecRequest!.Command);
        Assert.Equal(4, shell.ExitCode);

        var put = await CliProcess.RunAsync(env, null, Ct, "session", "put", "ses-1", local, "in/data.csv");
        Assert.True(put.ExitCode == 0, put.Stderr);
        Assert.Equal("a,b\n1,2\n", System.Text.Encoding.UTF8.GetString(server.Files["in/data.csv"]));

        var copy = Path.Combine(dir, "copy.csv");
        var get = await CliProcess.RunAsync(env, null, Ct, "session", "get", "ses-1", "in/data.csv", copy);
        Assert.True(get.ExitCode == 0, get.Stderr);
        Assert.Equal("a,b\n1,2\n", await File.ReadAllTextAsync(copy, Ct));

        var ls = await CliProcess.RunAsync(env, null, Ct, "session", "ls", "ses-1");
        Assert.Contains("in/data.csv", ls.Stdout, StringComparison.Ordinal);

        var missing = await CliProcess.RunAsync(env, null, Ct, "session", "get", "ses-1", "nope.txt", Path.Combine(dir, "nope.txt"));
        Assert.Equal(66, missing.ExitCode);
        Assert.False(File.Exists(Path.Combine(dir, "nope.txt")));

        var rm = await CliProcess.RunAsync(env, null, Ct, "session", "rm", "ses-1");
        Assert.True(rm.ExitCode == 0, rm.Stderr);
        Assert.Contains("DELETE /v1/sessions/ses-1", server.Requests);
    }

    [Fact]
    public async Task SessionExec_NeitherCodeNorCommand_IsAUsageError()
    {
        var (exitCode, _, stderr) = await CliProcess.RunAsync(new Dictionary<string, string?>(), null, Ct, "session", "exec", "ses-1");

        Assert.Equal(2, exitCode);
        Assert.Contains("exactly one of", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SessionRm_UnknownSession_Exits66WithTheProblem()
    {
        await using var server = await FakeCordonServer.StartAsync(Ct);
        var env = new Dictionary<string, string?> { ["CORDON_URL"] = server.Url.AbsoluteUri };

        var (exitCode, _, stderr) = await CliProcess.RunAsync(env, null, Ct, "session", "rm", "nope");

        Assert.Equal(66, exitCode);
        Assert.Contains("No session 'nope'.", stderr, StringComparison.Ordinal);
    }
}
