using System.Text.Json;

namespace Cordon.Client.Tests;

public sealed class McpCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Mcp_InitializeOverStdio_IsBridgedToStreamableHttpAndBack()
    {
        await using var server = await FakeCordonServer.StartAsync(Ct);
        var env = new Dictionary<string, string?> { ["CORDON_URL"] = server.Url.AbsoluteUri, ["CORDON_TOKEN"] = "mcp-token" };
        await using var cli = CliProcess.Start(env, "mcp");

        await cli.Stdin.WriteLineAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}""");
        await cli.Stdin.FlushAsync(Ct);

        // The server's SSE answer carries a progress notification before the result; both come out, one line each.
        using var progress = JsonDocument.Parse(await cli.WaitForLineAsync(0, Ct));
        Assert.Equal("notifications/progress", progress.RootElement.GetProperty("method").GetString());
        using var initialized = JsonDocument.Parse(await cli.WaitForLineAsync(1, Ct));
        Assert.Equal(1, initialized.RootElement.GetProperty("id").GetInt32());
        Assert.Equal("2025-06-18", initialized.RootElement.GetProperty("result").GetProperty("protocolVersion").GetString());

        await cli.Stdin.WriteLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        await cli.Stdin.WriteLineAsync("""{"jsonrpc":"2.0","id":"two","method":"tools/list"}""");
        await cli.Stdin.FlushAsync(Ct);
        using var tools = JsonDocument.Parse(await cli.WaitForLineAsync(2, Ct));
        Assert.Equal("two", tools.RootElement.GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Array, tools.RootElement.GetProperty("result").GetProperty("tools").ValueKind);

        cli.Stdin.Close();
        Assert.Equal(0, await cli.WaitForExitAsync(Ct));
        Assert.Equal(3, cli.Stdout.TrimEnd('\n').Split('\n').Length);

        var posts = server.McpPosts.ToArray();
        Assert.Equal(3, posts.Length);
        Assert.All(posts, p => Assert.Equal("Bearer mcp-token", p.Headers["Authorization"]));
        Assert.All(posts, p => Assert.Contains("text/event-stream", p.Headers["Accept"], StringComparison.Ordinal));
        Assert.All(posts, p => Assert.Contains("application/json", p.Headers["Accept"], StringComparison.Ordinal));
        Assert.All(posts.Skip(1), p => Assert.Equal("mcp-session-7", p.Headers["Mcp-Session-Id"]));
        Assert.All(posts.Skip(1), p => Assert.Equal("2025-06-18", p.Headers["MCP-Protocol-Version"]));
        Assert.Equal("""{"jsonrpc":"2.0","method":"notifications/initialized"}""", posts[1].Body);
        Assert.True(server.McpSessionDeleted);
    }

    [Fact]
    public async Task Mcp_ServerDown_AnswersRequestsWithAJsonRpcError()
    {
        var env = new Dictionary<string, string?> { ["CORDON_URL"] = "http://127.0.0.1:9", ["CORDON_TOKEN"] = "t" };
        await using var cli = CliProcess.Start(env, "mcp");

        await cli.Stdin.WriteLineAsync("""{"jsonrpc":"2.0","id":5,"method":"tools/list"}""");
        await cli.Stdin.FlushAsync(Ct);
        using var answer = JsonDocument.Parse(await cli.WaitForLineAsync(0, Ct));
        cli.Stdin.Close();
        await cli.WaitForExitAsync(Ct);

        Assert.Equal(5, answer.RootElement.GetProperty("id").GetInt32());
        Assert.Contains("cannot reach Cordon", answer.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("cannot reach Cordon", cli.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mcp_Unauthorized_AnswersRequestsWithTheProblemAndNotificationsWithNothing()
    {
        await using var server = await FakeCordonServer.StartAsync(Ct);
        var env = new Dictionary<string, string?> { ["CORDON_URL"] = server.Url.AbsoluteUri, ["CORDON_TOKEN"] = "expired" };
        await using var cli = CliProcess.Start(env, "mcp");

        await cli.Stdin.WriteLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        await cli.Stdin.WriteLineAsync("""{"jsonrpc":"2.0","id":9,"method":"tools/list"}""");
        await cli.Stdin.FlushAsync(Ct);
        using var answer = JsonDocument.Parse(await cli.WaitForLineAsync(0, Ct));
        cli.Stdin.Close();
        Assert.Equal(0, await cli.WaitForExitAsync(Ct));

        Assert.Equal(9, answer.RootElement.GetProperty("id").GetInt32());
        Assert.Equal("Cordon answered HTTP 401 Unauthorized: The token expired.", answer.RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.Single(cli.Stdout.TrimEnd('\n').Split('\n'));
    }
}
