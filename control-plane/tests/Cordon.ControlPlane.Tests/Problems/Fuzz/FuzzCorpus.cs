using System.Text;
using System.Text.Json;

namespace Cordon.ControlPlane.Tests.Problems.Fuzz;

/// <summary>
/// Generates requests across every /v1 endpoint and every MCP tool: mutated valid bodies, wrong content types,
/// oversized and chunked bodies, bad ids, paths and query values, wrong methods and damaged JSON-RPC.
/// </summary>
internal sealed class FuzzCorpus(Random random, string sessionId, string jobId, long maxBodyBytes)
{
    private static readonly string[] JobSeeds =
    [
        """{"language":"python","code":"out hi","args":["a","b"],"env":{"A":"1","B":"2"},"stdin":"x","limits":{"timeoutMs":1000,"memoryMb":64,"cpus":1,"pids":10,"outputBytes":1000,"diskMb":10},"artifacts":["*.txt"],"wait":true}""",
        """{"language":"py","files":[{"path":"main.py","content":"out hi","encoding":"utf8"},{"path":"lib/x.bin","content":"AAEC","encoding":"base64"}],"entrypoint":"main.py","network":{"egress":[]},"secrets":[],"dependencies":[],"wait":false}""",
    ];

    private static readonly string[] SessionSeeds =
    [
        """{"language":"python","idleTimeoutSec":60,"ttlSec":120,"limits":{"timeoutMs":1000,"memoryMb":64},"network":{"egress":[]},"secrets":[],"dependencies":[]}""",
    ];

    private static readonly string[] ExecSeeds =
    [
        """{"code":"x = 1","stdin":"","env":{"A":"1"},"timeoutMs":1000,"wait":true}""",
        """{"command":"echo hi","env":{"A":"1","B":"2"},"wait":false}""",
    ];

    private readonly JsonMutator _mutator = new(random);

    public FuzzRequest Next()
    {
        var choice = random.Next(100);
        return choice switch
        {
            < 25 => Body(HttpMethod.Post, "/v1/jobs", _mutator.Pick(JobSeeds)),
            < 35 => Body(HttpMethod.Post, "/v1/sessions", _mutator.Pick(SessionSeeds)),
            < 50 => Body(HttpMethod.Post, $"/v1/sessions/{MaybeBadId(sessionId)}/exec", _mutator.Pick(ExecSeeds)),
            < 62 => Mcp(),
            < 72 => BadRoute(),
            < 80 => Files(),
            < 88 => WrongContentType(),
            < 92 => Oversized(),
            _ => WrongMethod(),
        };
    }

    private FuzzRequest Body(HttpMethod method, string path, string seed)
    {
        var (body, description, field) = _mutator.Mutate(seed);
        return new FuzzRequest($"{method} {path}: {description}", method, path, body, FieldToName: field);
    }

    private FuzzRequest Mcp()
    {
        var (tool, arguments) = _mutator.Pick<(string, string)>(
        [
            ("run_code", """{"language":"python","code":"out hi","args":["a"],"env":{"A":"1"},"stdin":"","limits":{"timeoutMs":1000,"memoryMb":64},"artifacts":["*.png"],"files":[{"path":"a.py","content":"out x"}],"entrypoint":"a.py","dependencies":[]}"""),
            ("create_session", """{"language":"python","idleTimeoutSec":5,"ttlSec":10}"""),
            ("run_in_session", $$"""{"sessionId":"{{sessionId}}","code":"x = 2","timeoutMs":1000}"""),
            ("write_file", $$"""{"sessionId":"{{sessionId}}","path":"a.txt","content":"hello","encoding":"utf8"}"""),
            ("read_file", $$"""{"sessionId":"{{sessionId}}","path":"a.txt"}"""),
            ("list_files", $$"""{"sessionId":"{{sessionId}}","path":"."}"""),
            ("close_session", """{"sessionId":"ses_doesnotexist"}"""),
            ("list_runtimes", "{}"),
        ]);
        var (mutated, description, _) = _mutator.Mutate(arguments);
        var envelope = random.Next(8) == 0
            ? _mutator.Mutate("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":{}}}").Body
            : Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","id":{{random.Next()}},"method":"tools/call","params":{"name":"{{tool}}","arguments":""")
                .Concat(mutated).Concat(Encoding.UTF8.GetBytes("}}")).ToArray();
        return new FuzzRequest($"MCP {tool}: {description}", HttpMethod.Post, "/mcp", envelope, IsMcp: true);
    }

    private FuzzRequest BadRoute()
    {
        var id = MaybeBadId(random.Next(2) == 0 ? jobId : sessionId, always: random.Next(3) > 0);
        var (method, path) = _mutator.Pick<(HttpMethod, string)>(
        [
            (HttpMethod.Get, $"/v1/jobs/{id}"),
            (HttpMethod.Get, $"/v1/jobs/{id}/events"),
            (HttpMethod.Post, $"/v1/jobs/{id}/cancel"),
            (HttpMethod.Get, $"/v1/jobs/{id}/artifacts/{BadPath()}"),
            (HttpMethod.Get, $"/v1/sessions/{id}"),
            (HttpMethod.Delete, $"/v1/sessions/{MaybeBadId("ses_missing", always: true)}"),
            (HttpMethod.Get, $"/v1/jobs?{BadQuery()}"),
            (HttpMethod.Get, $"/v1/sessions/{id}/files?path={Uri.EscapeDataString(_mutator.RandomText(random.Next(0, 30)))}"),
            (HttpMethod.Get, $"/{Uri.EscapeDataString(_mutator.RandomText(random.Next(1, 30)))}"),
            (HttpMethod.Get, "/v1/runtimes"),
            (HttpMethod.Get, "/v1/info"),
            (HttpMethod.Get, "/readyz"),
        ]);
        return new FuzzRequest($"{method} {path}", method, path, ContentType: null);
    }

    private FuzzRequest Files()
    {
        var path = $"/v1/sessions/{MaybeBadId(sessionId)}/files/{BadPath()}";
        var method = _mutator.Pick([HttpMethod.Put, HttpMethod.Get, HttpMethod.Delete]);
        var body = method == HttpMethod.Put ? RandomBytes(random.Next(0, 4096)) : null;
        return new FuzzRequest($"{method} {path}", method, path, body, ContentType: method == HttpMethod.Put ? "application/octet-stream" : null);
    }

    private FuzzRequest WrongContentType()
    {
        var path = _mutator.Pick(["/v1/jobs", "/v1/sessions", $"/v1/sessions/{sessionId}/exec"]);
        var type = _mutator.Pick<string?>(["text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=latin1", "application/jsonx", "", null, "application/*"]);
        return new FuzzRequest($"POST {path} as {type ?? "(none)"}", HttpMethod.Post, path, Encoding.UTF8.GetBytes(JobSeeds[0]), type);
    }

    private FuzzRequest Oversized()
    {
        var path = _mutator.Pick(["/v1/jobs", "/v1/sessions", $"/v1/sessions/{sessionId}/exec", $"/v1/sessions/{sessionId}/files/big.bin", "/mcp"]);
        var size = (int)maxBodyBytes + random.Next(1, 64 * 1024);
        var body = Encoding.UTF8.GetBytes("{\"language\":\"python\",\"code\":\"" + new string('a', size) + "\"}");
        var chunked = random.Next(2) == 0;
        var method = path.Contains("/files/", StringComparison.Ordinal) ? HttpMethod.Put : HttpMethod.Post;
        return new FuzzRequest($"{method} {path} oversized{(chunked ? " chunked" : "")}", method, path, body, Chunked: chunked, IsMcp: path == "/mcp");
    }

    private FuzzRequest WrongMethod()
    {
        var (method, path) = _mutator.Pick<(HttpMethod, string)>(
        [
            (HttpMethod.Put, "/v1/jobs"), (HttpMethod.Delete, "/v1/jobs"), (HttpMethod.Patch, $"/v1/sessions/{sessionId}"),
            (HttpMethod.Get, $"/v1/sessions/{sessionId}/exec"), (HttpMethod.Post, "/v1/runtimes"), (HttpMethod.Put, "/mcp"),
            (HttpMethod.Get, "/mcp"), (HttpMethod.Delete, "/mcp"), (HttpMethod.Post, "/healthz"),
        ]);
        return new FuzzRequest($"{method} {path}", method, path, method == HttpMethod.Get ? null : [], IsMcp: path == "/mcp");
    }

    private string MaybeBadId(string good, bool always = false)
    {
        if (!always && random.Next(4) > 0)
        {
            return good;
        }

        return _mutator.Pick(
        [
            "", "%00", "..", "%2e%2e", "%2F", new string('x', random.Next(1, 10_000)), good + "x", good.ToUpperInvariant(), "-1", "0",
            "9223372036854775808", Uri.EscapeDataString(_mutator.RandomText(random.Next(1, 50))), "%ED%A0%80", "%FF%FE", "ses_" + good, "job_",
        ]);
    }

    private string BadPath() => _mutator.Pick(
    [
        "a.txt", "..%2F..%2Fetc%2Fpasswd", "../x", "%00", "a%00b", "/abs", new string('d', random.Next(1, 5000)), "%2E%2E/%2E%2E", "a//b", "./.",
        Uri.EscapeDataString(_mutator.RandomText(random.Next(1, 64))), "%ED%A0%80", "con", "a/" + new string('b', 300),
    ]);

    private string BadQuery() => _mutator.Pick(
    [
        "limit=-1", "limit=0", "limit=abc", "limit=99999999999999999999", "limit=2147483648", "limit=1.5", "limit=", "status=nope", "status=",
        "cursor=garbage", "cursor=" + new string('A', random.Next(1, 5000)), "cursor=%00", "limit=10&limit=20", "status=running&status=queued",
        "cursor=" + Uri.EscapeDataString(Convert.ToBase64String(RandomBytes(random.Next(1, 64)))), "limit=1e3", "x=" + Uri.EscapeDataString(_mutator.RandomText(20)),
        "limit=" + JsonSerializer.Serialize(random.Next()),
    ]);

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
