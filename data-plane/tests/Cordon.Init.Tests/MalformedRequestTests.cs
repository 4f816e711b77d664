using System.Buffers.Binary;
using System.Text;
using Cordon.Contracts.Runner.Agent;

namespace Cordon.Init.Tests;

/// <summary>Requests no runner would send: each gets a clear bad_request naming the member, and the agent carries on.</summary>
public sealed class MalformedRequestTests : IAsyncLifetime
{
    private AgentHost _agent = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _agent = await AgentHost.StartAsync(Token);

    public ValueTask DisposeAsync() => _agent.DisposeAsync();

    /// <summary>The JSON of a request, and a fragment its error must contain.</summary>
    public static TheoryData<string, string> Requests => [.. Cases.Select(c => new TheoryDataRow<string, string>(c.Json, c.Fragment))];

    private static readonly (string Json, string Fragment)[] Cases =
    [
        ("""{"type":"spawn","argv":null}""", "argv"),
        ("""{"type":"spawn","argv":[]}""", "argv"),
        ("""{"type":"spawn","argv":["sh",null]}""", "argv[1]"),
        ("""{"type":"spawn","argv":5}""", "argv"),
        ("""{"type":"spawn","argv":{"a":1}}""", "argv"),
        ("""{"type":"spawn"}""", "argv"),
        ("""{"type":"spawn","argv":["a\u0000b"]}""", "NUL"),
        ("""{"type":"spawn","argv":[""]}""", "argv[0]"),
        ("""{"type":"spawn","argv":["true"],"env":null,"cwd":null,"stdin":null}""", ""),
        ("""{"type":"spawn","argv":["true"],"env":{"A":null}}""", "env.A"),
        ("""{"type":"spawn","argv":["true"],"env":{"A=B":"x"}}""", "env names"),
        ("""{"type":"spawn","argv":["true"],"env":{"":"x"}}""", "env names"),
        ("""{"type":"spawn","argv":["true"],"env":{"A":"x\u0000y"}}""", "env.A"),
        ("""{"type":"spawn","argv":["true"],"env":["A"]}""", "env"),
        ("""{"type":"spawn","argv":["true"],"timeoutMs":-1}""", "timeoutMs"),
        ("""{"type":"spawn","argv":["true"],"timeoutMs":"soon"}""", "timeoutMs"),
        ("""{"type":"spawn","argv":["true"],"outputBytes":1e400}""", "outputBytes"),
        ("""{"type":"spawn","argv":["true"],"outputBytes":-9223372036854775808}""", "outputBytes"),
        ("""{"type":"spawn","argv":["true"],"stdin":"%%%"}""", "stdin"),
        ("""{"type":"spawn","argv":["true"],"cwd":7}""", "cwd"),
        ("""{"type":"repl","argv":["python3"],"code":null}""", "code"),
        ("""{"type":"repl","argv":null,"code":"1"}""", "argv"),
        ("""{"type":"repl","argv":["python3"]}""", "code"),
        ("""{"type":"write","path":null,"content":""}""", "path"),
        ("""{"type":"write","path":"a","content":null}""", "content"),
        ("""{"type":"write","path":"a","content":"not base64!"}""", "content"),
        ("""{"type":"write","path":"a","content":"","mode":99999}""", "mode"),
        ("""{"type":"read","path":"a","maxBytes":-5}""", "maxBytes"),
        ("""{"type":"read","path":["a"]}""", "path"),
        ("""{"type":"read"}""", "path"),
        ("""{"type":"list","path":false}""", "path"),
        ("""{"type":"delete","path":null}""", "path"),
        ("""{"type":"nope"}""", "type"),
        ("""{"type":null}""", "type"),
        ("""{"type":5}""", "type"),
        ("""{"argv":["true"]}""", "type"),
        ("""{}""", "type"),
        ("""{"argv":["true"],"type":"spawn"}""", "type"),
        ("null", "null"),
        ("[]", "JSON object"),
        ("\"spawn\"", "JSON object"),
        ("", "JSON object"),
        ("{not json", "JSON object"),
        ("""{"type":"spawn","argv":["true"]""", ""),
        ("{\"type\":\"spawn\",\"argv\":" + new string('[', 200) + new string(']', 200) + "}", "argv"),
    ];

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Request_Malformed_IsBadRequestNamingTheMember(string json, string fragment)
    {
        var error = await SendAsync(AgentFrameKind.Message, Encoding.UTF8.GetBytes(json));

        if (json.Contains("\"env\":null", StringComparison.Ordinal))
        {
            // Optional members may be null: that one is well formed and runs.
            Assert.Null(error);
            return;
        }

        Assert.NotNull(error);
        Assert.Equal(AgentErrorCodes.BadRequest, error.Code);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Cordon.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Frame_NotJsonOrOversizedOrInvalidUtf8_IsBadRequest()
    {
        var stdoutFirst = await SendAsync(AgentFrameKind.Stdout, "{}"u8.ToArray());
        var invalidUtf8 = await SendAsync(AgentFrameKind.Message, [(byte)'{', (byte)'"', 0xff, 0xfe, (byte)'"', (byte)':', (byte)'1', (byte)'}']);
        var oversized = await SendRawAsync(header: Header(AgentFrame.MaxPayloadBytes + 2, AgentFrameKind.Message));

        Assert.Contains("first frame", stdoutFirst?.Message, StringComparison.Ordinal);
        Assert.Equal(AgentErrorCodes.BadRequest, invalidUtf8?.Code);
        Assert.Contains("out of range", oversized?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManyMalformedRequests_LeaveTheAgentHealthyWithNoFdOrThreadGrowth()
    {
        await _agent.CallAsync(new AgentHealthQuery(), Token);
        var (fdsBefore, threadsBefore) = (Count($"/proc/{_agent.Pid}/fd"), Count($"/proc/{_agent.Pid}/task"));

        var bad = Cases.Select(c => c.Json).ToList();
        for (var round = 0; round < 5; round++)
        {
            await Task.WhenAll(bad.Select(json => SendAsync(AgentFrameKind.Message, Encoding.UTF8.GetBytes(json))));
        }

        var run = await _agent.CallAsync(new AgentSpawn { Argv = ["sh", "-c", "echo still here"] }, Token);
        Assert.Equal("still here\n", run.Stdout);
        Assert.IsType<AgentHealth>((await _agent.CallAsync(new AgentHealthQuery(), Token)).Reply);
        Assert.Equal(fdsBefore, Count($"/proc/{_agent.Pid}/fd"));
        Assert.Equal(threadsBefore, Count($"/proc/{_agent.Pid}/task"));
    }

    /// <summary>Sends one frame; the AgentError it got, or null when the request ran (any other reply).</summary>
    private async Task<AgentError?> SendAsync(AgentFrameKind kind, byte[] payload)
    {
        var frame = new byte[5 + payload.Length];
        Header(payload.Length + 1, kind).CopyTo(frame, 0);
        payload.CopyTo(frame, 5);
        return await SendRawAsync(frame);
    }

    private async Task<AgentError?> SendRawAsync(byte[] header)
    {
        await using var stream = await _agent.ConnectAsync(Token);
        await stream.WriteAsync(header, Token);
        var result = await AgentHost.ReadResultAsync(stream, Token);
        return result.Reply as AgentError;
    }

    private static byte[] Header(int length, AgentFrameKind kind)
    {
        var header = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)length);
        header[4] = (byte)kind;
        return header;
    }

    private static int Count(string directory) => Directory.GetFileSystemEntries(directory).Length;
}
