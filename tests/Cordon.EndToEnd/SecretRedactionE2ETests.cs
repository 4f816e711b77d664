using System.Net;
using System.Text.Json;
using Cordon.Contracts.Jobs;
using Cordon.TestSupport;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using static Cordon.EndToEnd.E2E;

namespace Cordon.EndToEnd;

/// <summary>
/// A secret from the store, injected into real runc sandboxes, printed by the job in every form it can produce — raw,
/// base64 (standard and URL-safe, padded or not, inside a longer base64 string), hex in both cases, URL-encoded,
/// read back from <c>/proc/self/environ</c>, a file it wrote and <c>/run/secrets</c>, on stdout and stderr — never
/// appears in any answer: the job as REST returns it, its server-sent events replayed from the store, or the MCP
/// tools' results (run_code, and a session's run_in_session and read_file).
/// </summary>
public sealed class SecretRedactionE2ETests(StackFixture stack)
{
    private readonly string _tenant = "red" + Guid.NewGuid().ToString("N")[..8];

    // Characters URL encoding changes (space, '@', ':'), so the URL-encoded form differs from the raw one.
    private readonly string _value = "key " + Guid.NewGuid().ToString("N") + "@vault:7";

    private HttpClient Client => stack.ClientFor(_tenant, "jobs:run sessions:use secrets:write");

    public static TheoryData<string, string> Programs => new()
    {
        {
            "python", """
            import base64, os, sys, urllib.parse
            v = os.environ["API_TOKEN"].encode()
            print(v.decode()); print(base64.b64encode(v).decode()); print(base64.urlsafe_b64encode(v).decode().rstrip("="))
            print(v.hex()); print(v.hex().upper()); print(urllib.parse.quote(v.decode(), safe="")); print(urllib.parse.quote_plus(v.decode()))
            print("x" + base64.b64encode(b"ab" + v + b"cd").decode())
            print(open("/proc/self/environ", "rb").read().replace(b"\0", b"\n").decode())
            open("copy.txt", "wb").write(v); print(open("copy.txt").read())
            print(open("/run/secrets/API_TOKEN").read())
            for b in v:
                sys.stdout.write(chr(b)); sys.stdout.flush()
            print(); sys.stderr.write(v.decode() + "\n")
            """
        },
        {
            "javascript", """
            const fs = require("fs");
            const v = process.env.API_TOKEN, b = Buffer.from(v);
            console.log(v); console.log(b.toString("base64")); console.log(b.toString("base64url"));
            console.log(b.toString("hex")); console.log(b.toString("hex").toUpperCase()); console.log(encodeURIComponent(v));
            console.log(fs.readFileSync("/run/secrets/API_TOKEN", "utf8")); console.error(v);
            """
        },
        {
            "bash", """
            printf '%s\n' "$API_TOKEN"; printf %s "$API_TOKEN" | base64 -w0; echo
            printf %s "$API_TOKEN" | od -An -tx1 | tr -d ' \n'; echo
            tr '\0' '\n' < /proc/self/environ; cat /run/secrets/API_TOKEN; echo; echo "$API_TOKEN" >&2
            """
        },
        {
            "c", """
            #include <stdio.h>
            #include <stdlib.h>
            int main(void) {
                const char *v = getenv("API_TOKEN");
                printf("%s\n", v);
                for (const char *p = v; *p; p++) printf("%02x", (unsigned char)*p);
                printf("\n");
                char buffer[256];
                FILE *f = fopen("/run/secrets/API_TOKEN", "r");
                size_t n = fread(buffer, 1, sizeof buffer - 1, f);
                buffer[n] = 0;
                printf("%s\n", buffer);
                fprintf(stderr, "%s\n", v);
                return 0;
            }
            """
        },
    };

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task InjectedSecret_PrintedInEveryForm_IsInNoAnswer(string language, string code)
    {
        await StoreAsync();
        var body = $$"""{"language":"{{language}}","code":{{JsonString(code)}},"secrets":[{"name":"API_TOKEN","file":true}]}""";
        var job = await Client.RunAsync(stack, body);

        job.Expect(JobStatus.Succeeded, stack);
        Assert.Contains("[REDACTED:API_TOKEN]", job.Stdout, StringComparison.Ordinal);
        Assert.Contains("[REDACTED:API_TOKEN]", job.Stderr, StringComparison.Ordinal);
        var rest = await Client.GetStringAsync(new Uri($"/v1/jobs/{job.Id}", UriKind.Relative), Ct);
        var events = await Client.GetStringAsync(new Uri($"/v1/jobs/{job.Id}/events", UriKind.Relative), Ct);
        AssertNoLeak(language, "GET /v1/jobs/{id}", rest);
        foreach (var data in events.Split('\n').Where(line => line.StartsWith("data:", StringComparison.Ordinal)))
        {
            AssertNoLeak(language, "GET /v1/jobs/{id}/events", data["data:".Length..]);
        }
    }

    [Fact]
    public async Task InjectedSecret_ThroughMcpTools_IsInNoToolResult()
    {
        await StoreAsync();
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = stack.McpUrl,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {stack.Token(_tenant, "jobs:run sessions:use files:rw")}" },
        });
        await using var mcp = await McpClient.CreateAsync(transport, cancellationToken: Ct);
        const string print = "import base64, os\nv = os.environ['API_TOKEN']\nprint(v)\nprint(base64.b64encode(v.encode()).decode())\nprint(v.encode().hex())";
        var run = await mcp.CallToolAsync("run_code", new Dictionary<string, object?>
        {
            ["language"] = "python",
            ["code"] = print,
            ["secrets"] = new[] { "API_TOKEN" },
        }, cancellationToken: Ct);
        var session = await mcp.CallToolAsync("create_session", new Dictionary<string, object?> { ["language"] = "bash", ["secrets"] = new[] { "API_TOKEN" } }, cancellationToken: Ct);
        var sessionId = session.StructuredContent!.Value.GetProperty("sessionId").GetString()!;
        var exec = await mcp.CallToolAsync("run_in_session", new Dictionary<string, object?> { ["sessionId"] = sessionId, ["command"] = "printf '%s\\n' \"$API_TOKEN\" | tee k.txt" }, cancellationToken: Ct);
        var read = await mcp.CallToolAsync("read_file", new Dictionary<string, object?> { ["sessionId"] = sessionId, ["path"] = "k.txt" }, cancellationToken: Ct);
        await mcp.CallToolAsync("close_session", new Dictionary<string, object?> { ["sessionId"] = sessionId }, cancellationToken: Ct);

        foreach (var (tool, result) in new[] { ("run_code", run), ("run_in_session", exec), ("read_file", read) })
        {
            var json = JsonSerializer.Serialize(result, McpJsonUtilities.DefaultOptions);
            Assert.True(result.IsError is not true, $"{tool}: {json}");
            Assert.Contains("[REDACTED:API_TOKEN]", json, StringComparison.Ordinal);
            AssertNoLeak("mcp", tool, json);
        }
    }

    /// <summary>No form of the value in a JSON answer: raw, hex, base64 at each alignment, URL-encoded (<see cref="SecretLeaks"/>).</summary>
    private void AssertNoLeak(string language, string where, string json)
    {
        var found = SecretLeaks.InJson(json, _value);
        Assert.True(found.Count == 0, $"{language}: {where} holds the secret ({string.Join(", ", found)}):\n{json}");
    }

    private async Task StoreAsync()
    {
        var admin = stack.ClientFor("ops", "admin");
        (await admin.PutAsync(new Uri($"/v1/admin/tenants/{_tenant}/policy", UriKind.Relative), Json("""{"secrets":["API_TOKEN"]}"""), Ct)).EnsureSuccessStatusCode();
        var put = await Client.PutAsync(new Uri("/v1/secrets/API_TOKEN", UriKind.Relative), Json($$"""{"value":{{JsonString(_value)}}}"""), Ct);
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
    }

    private static string JsonString(string value) => "\"" + JsonEncodedText.Encode(value) + "\"";
}
