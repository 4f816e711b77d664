namespace Cordon.Client.Tests;

public sealed class PolicyCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PolicySetThenGet_RoundTripsTheDocument()
    {
        await using var server = await FakeCordonServer.StartAsync(Ct);
        var env = new Dictionary<string, string?> { ["CORDON_URL"] = server.Url.AbsoluteUri, ["CORDON_TOKEN"] = "t" };
        var file = Path.Combine(Directory.CreateTempSubdirectory("cordon-cli-policy-").FullName, "acme.json");
        await File.WriteAllTextAsync(file, """{"runtimes":{"python":{}},"egress":["pypi.org:443"]}""", Ct);

        var before = await CliProcess.RunAsync(env, null, Ct, "policy", "get", "acme");
        Assert.Equal((0, "{}\n"), (before.ExitCode, before.Stdout));
        Assert.Contains("the default", before.Stderr, StringComparison.Ordinal);

        var set = await CliProcess.RunAsync(env, null, Ct, "policy", "set", "acme", file, "--if-match", "sha256:" + new string('a', 64));
        Assert.True(set.ExitCode == 0, set.Stderr);
        Assert.Equal($"acme: version sha256:{new string('b', 64)}\n", set.Stdout);
        Assert.Equal("""{"runtimes":{"python":{}},"egress":["pypi.org:443"]}""", server.Policies["acme"].Body);
        Assert.Equal($"\"sha256:{new string('a', 64)}\"", server.Policies["acme"].IfMatch);

        var after = await CliProcess.RunAsync(env, null, Ct, "policy", "get", "acme");
        Assert.Contains("\"pypi.org:443\"", after.Stdout, StringComparison.Ordinal);
        Assert.Contains("set by ops/admin", after.Stderr, StringComparison.Ordinal);
        var json = await CliProcess.RunAsync(env, null, Ct, "policy", "get", "acme", "--json");
        Assert.Contains("\"isDefault\": false", json.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicySet_FromStdin_SendsIt()
    {
        await using var server = await FakeCordonServer.StartAsync(Ct);
        var env = new Dictionary<string, string?> { ["CORDON_URL"] = server.Url.AbsoluteUri, ["CORDON_TOKEN"] = "t" };

        var set = await CliProcess.RunAsync(env, """{"secrets":["API_TOKEN"]}""", Ct, "policy", "set", "globex");

        Assert.True(set.ExitCode == 0, set.Stderr);
        Assert.Equal("""{"secrets":["API_TOKEN"]}""", server.Policies["globex"].Body);
        Assert.Null(server.Policies["globex"].IfMatch);
    }

    [Fact]
    public async Task PolicySet_MissingFile_IsAUsageError()
    {
        var (exitCode, _, stderr) = await CliProcess.RunAsync(new Dictionary<string, string?>(), null, Ct, "policy", "set", "acme", "/nonexistent/p.json");

        Assert.Equal(2, exitCode);
        Assert.Contains("no such file", stderr, StringComparison.Ordinal);
    }
}
