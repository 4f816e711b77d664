using System.Text.Json;
using Cordon.TestSupport;

namespace Cordon.EndToEnd.Mcp;

/// <summary>
/// External MCP clients against the real stack: the official conformance suite (on a control plane with the auth
/// bypass, since the suite connects without credentials) and the MCP Inspector CLI over HTTP and over stdio through
/// <c>cordon mcp</c>.
/// </summary>
[Collection(McpCollection.Name)]
public sealed class McpClientToolTests(StackFixture stack)
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task ConformanceSuite_CordonMcp_NoUnexpectedFailures()
    {
        var ct = TestContext.Current.CancellationToken;
        var bypassUrl = await stack.StartBypassControlAsync(ct);

        var (exitCode, output) = await RunScriptAsync(
            "mcp-conformance.sh",
            ["--url", new Uri(bypassUrl, "/mcp").ToString(), "--baseline", "tests/mcp/baselines/cordon.yml", "--name", "cordon",
                "--scenario", "server-initialize", "--scenario", "ping", "--scenario", "tools-list", "--scenario", "dns-rebinding-protection"],
            ct);

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task Inspector_Http_ListsToolsAndRunsCode()
    {
        var ct = TestContext.Current.CancellationToken;
        string[] target = [stack.McpUrl.ToString(), "--transport", "http", "--header", $"Authorization: Bearer {stack.McpToken()}"];

        var (listExit, listOutput) = await RunScriptAsync("mcp-inspector.sh", [.. target, "--method", "tools/list"], ct);
        var (callExit, callOutput) = await RunScriptAsync(
            "mcp-inspector.sh",
            [.. target, "--method", "tools/call", "--tool-name", "run_code", "--tool-args-json", """{"language":"python","code":"print(6*7)"}"""],
            ct);

        Assert.True(listExit == 0, listOutput);
        Assert.Contains("\"run_code\"", listOutput, StringComparison.Ordinal);
        Assert.True(callExit == 0, callOutput);
        Assert.Equal("42\n", StructuredStdout(callOutput));
    }

    [Fact]
    public async Task Inspector_StdioThroughCordonMcp_ListsToolsAndRunsCode()
    {
        var ct = TestContext.Current.CancellationToken;
        string[] target =
        [
            "--transport", "stdio", "-e", $"CORDON_URL={stack.BaseAddress}", "-e", $"CORDON_TOKEN={stack.McpToken()}",
            "--", Path.Combine(RepoPaths.Bin, "cordon"), "mcp",
        ];

        var (listExit, listOutput) = await RunScriptAsync("mcp-inspector.sh", ["--method", "tools/list", .. target], ct);
        var (callExit, callOutput) = await RunScriptAsync(
            "mcp-inspector.sh",
            ["--method", "tools/call", "--tool-name", "run_code", "--tool-args-json", """{"language":"python","code":"print(6*7)"}""", .. target],
            ct);

        Assert.True(listExit == 0, listOutput);
        Assert.Contains("\"run_code\"", listOutput, StringComparison.Ordinal);
        Assert.True(callExit == 0, callOutput);
        Assert.Equal("42\n", StructuredStdout(callOutput));
    }

    private static string? StructuredStdout(string inspectorOutput)
    {
        // The Inspector prints the result as one JSON document; anything before it is its own chatter.
        var start = inspectorOutput.IndexOf('{', StringComparison.Ordinal);
        var end = inspectorOutput.LastIndexOf('}');
        if (start < 0 || end < start)
        {
            return null;
        }

        using var document = JsonDocument.Parse(inspectorOutput[start..(end + 1)]);
        return document.RootElement.TryGetProperty("structuredContent", out var structured)
            ? structured.GetProperty("stdout").GetString()
            : null;
    }

    private static async Task<(int ExitCode, string Output)> RunScriptAsync(string script, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var run = await RepoScript.RunAsync(script, arguments, ScriptTimeout, cancellationToken);
        return (run.ExitCode, run.Output);
    }
}
