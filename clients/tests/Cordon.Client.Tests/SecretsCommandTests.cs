namespace Cordon.Client.Tests;

/// <summary><c>cordon secrets set|list|delete|rotate-master-key</c> through the real CLI binary against a small HTTP server.</summary>
public sealed class SecretsCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SetListDeleteRotate_TalkToTheSecretsApi()
    {
        await using var server = await FakeCordonServer.StartAsync(Ct);
        var env = new Dictionary<string, string?> { ["CORDON_URL"] = server.Url.AbsoluteUri, ["CORDON_TOKEN"] = "t" };
        var file = Path.Combine(Directory.CreateTempSubdirectory("cordon-cli-secrets-").FullName, "cert.pem");
        await File.WriteAllTextAsync(file, "line1\nline2\n", Ct);

        var fromStdin = await CliProcess.RunAsync(env, "tok-123\n", Ct, "secrets", "set", "API_TOKEN");
        Assert.True(fromStdin.ExitCode == 0, fromStdin.Stderr);
        Assert.Equal("API_TOKEN: stored\n", fromStdin.Stdout);
        Assert.Equal("tok-123", server.Secrets["API_TOKEN"]);
        Assert.Equal(0, (await CliProcess.RunAsync(env, null, Ct, "secrets", "set", "CERT", file)).ExitCode);
        Assert.Equal("line1\nline2\n", server.Secrets["CERT"]);

        var list = await CliProcess.RunAsync(env, null, Ct, "secrets", "list");
        Assert.Equal(["API_TOKEN", "CERT"], list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]));
        Assert.DoesNotContain("tok-123", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"name\": \"CERT\"", (await CliProcess.RunAsync(env, null, Ct, "secrets", "list", "--json")).Stdout, StringComparison.Ordinal);

        var rotate = await CliProcess.RunAsync(env, null, Ct, "secrets", "rotate-master-key");
        Assert.Equal("master key mk-old -> mk-new: 2 data key(s) re-wrapped\n", rotate.Stdout);

        Assert.Equal(0, (await CliProcess.RunAsync(env, null, Ct, "secrets", "delete", "CERT")).ExitCode);
        var missing = await CliProcess.RunAsync(env, null, Ct, "secrets", "delete", "CERT");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("There is no secret", missing.Stderr, StringComparison.Ordinal);
        Assert.Equal(["API_TOKEN"], server.Secrets.Keys);
    }

    [Fact]
    public async Task Set_MissingFile_IsAUsageError()
    {
        var (exitCode, _, stderr) = await CliProcess.RunAsync(new Dictionary<string, string?>(), null, Ct, "secrets", "set", "X", "/nonexistent/v");

        Assert.Equal(2, exitCode);
        Assert.Contains("no such file", stderr, StringComparison.Ordinal);
    }
}
