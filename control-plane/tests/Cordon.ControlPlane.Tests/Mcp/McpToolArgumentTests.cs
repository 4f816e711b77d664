using System.Text;
using System.Text.Json;
using Cordon.ControlPlane.Tests.Infrastructure;

namespace Cordon.ControlPlane.Tests.Mcp;

/// <summary>
/// Tool calls over <c>/mcp</c> with missing, null and wrong-typed arguments: each is a tool error (<c>isError</c>)
/// whose text names the argument in API terms, as /v1's problem details do — never a .NET type or parameter.
/// </summary>
public sealed class McpToolArgumentTests : ApiTestBase
{
    public static TheoryData<string, string, string> BadCalls => new()
    {
        { "run_code", """{"language":"python","code":"out x","env":{"A":null}}""", "env.A must be a string" },
        { "run_code", """{"language":"python","code":"out x","env":{"A":1}}""", "env.A must be a string" },
        { "run_code", """{"code":"out x"}""", "language is required" },
        { "run_code", """{"language":null,"code":"out x"}""", "language must be a string" },
        { "run_code", """{"language":5,"code":"out x"}""", "language must be a string" },
        { "run_code", """{"language":"python","code":["a"]}""", "code must be a string" },
        { "run_code", """{"language":"python","code":"out x","args":"a"}""", "args must be an array" },
        { "run_code", """{"language":"python","code":"out x","args":[null]}""", "args[0] must be a string" },
        { "run_code", """{"language":"python","code":"out x","limits":{"timeoutMs":"x"}}""", "limits.timeoutMs must be a whole number" },
        { "run_code", """{"language":"python","code":"out x","limits":{"memoryMb":1e40}}""", "limits.memoryMb must be a whole number" },
        { "run_code", """{"language":"python","files":[{"content":"x"}]}""", "files[0].path is required" },
        { "run_code", """{"language":"python","files":[{"path":null,"content":"x"}]}""", "files[0].path must not be null" },
        { "run_code", """{"language":"python","code":"out x","lang":"c"}""", "lang is not an argument of run_code" },
        { "run_code", """{"language":"python","code":"out x","limits":{"cpu":1}}""", "limits.cpu is not a known field" },
        { "run_code", """{"language":"python","files":{"path":"a"}}""", "files must be an array" },
        { "create_session", """{"language":"python","ttlSec":"ten"}""", "ttlSec must be a whole number" },
        { "create_session", """{}""", "language is required" },
        { "run_in_session", """{"sessionId":5,"code":"x"}""", "sessionId must be a string" },
        { "run_in_session", """{"code":"x"}""", "sessionId is required" },
        { "write_file", """{"sessionId":"ses_x","content":"x"}""", "path is required" },
        { "write_file", """{"sessionId":"ses_x","path":"a.txt","content":{}}""", "content must be a string" },
        { "read_file", """{"sessionId":null,"path":"a.txt"}""", "sessionId must be a string" },
    };

    [Theory]
    [MemberData(nameof(BadCalls))]
    public async Task CallTool_BadArgument_ToolErrorNamesTheArgument(string tool, string arguments, string expected)
    {
        var (isError, text) = await CallToolAsync(tool, arguments);

        Assert.True(isError, text);
        Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"System\.|Cordon\.|Microsoft\.|\.NET|parameter|Nullable|JsonElement|\$\.", text);
    }

    [Fact]
    public async Task CallTool_ArgumentsNull_SaysWhatIsRequired()
    {
        var (isError, text) = await CallToolAsync("run_code", "null");

        Assert.True(isError, text);
        Assert.Contains("language is required", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallTool_WithoutTheScope_RefusedBeforeTheArgumentsAreLookedAt()
    {
        var (isError, text) = await CallToolAsync("create_session", "{}", scopes: "jobs:run");

        Assert.True(isError, text);
        Assert.DoesNotContain("language", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunCode_WithEgressThePolicyAllows_GoesToTheRunnerAndTheResultCountsTheNetwork()
    {
        using var admin = Factory.ClientFor(scopes: "admin");
        (await admin.PutAsync("/v1/admin/tenants/acme/policy", Http.Json("""{"egress":["api.example.com:443"]}"""), Ct)).EnsureSuccessStatusCode();

        var (isError, text) = await CallToolAsync("run_code", """{"language":"python","code":"connect api.example.com:443 allowed 10 20","egress":["api.example.com:443"]}""");
        var (deniedIsError, denied) = await CallToolAsync("run_code", """{"language":"python","code":"out x","egress":["other.example.com:443"]}""");

        Assert.False(isError, text);
        Assert.Equal(["api.example.com:443"], Runner.State.LastRunJob!.Egress);
        Assert.Contains("network: 1 connections (0 refused by the egress policy), 10 bytes out, 20 in", text, StringComparison.Ordinal);
        Assert.True(deniedIsError, denied);
        Assert.Contains("egress", denied, StringComparison.Ordinal);
    }

    private async Task<(bool IsError, string Text)> CallToolAsync(string tool, string arguments, string scopes = TestTokens.AllScopes)
    {
        using var client = Factory.ClientFor(scopes: scopes);
        var body = $$"""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"{{tool}}","arguments":""" + arguments + "}}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, text);

        // Streamable HTTP answers as server-sent events: the JSON-RPC message is on the data line.
        var json = text.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.StartsWith("data: ", StringComparison.Ordinal))?[6..] ?? text;
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.TryGetProperty("error", out var error))
        {
            return (true, "JSON-RPC error: " + error.GetProperty("message").GetString());
        }

        var result = root.GetProperty("result");
        var content = string.Join("\n", result.GetProperty("content").EnumerateArray()
            .Where(c => c.GetProperty("type").GetString() == "text").Select(c => c.GetProperty("text").GetString()));
        return (result.TryGetProperty("isError", out var flag) && flag.GetBoolean(), content);
    }
}
