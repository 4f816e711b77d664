using System.Text;
using Cordon.Runner.Egress;

namespace Cordon.Runner.UnitTests.Egress;

/// <summary>
/// The HTTP/1.1 request rewriter of a terminated TLS connection, on byte streams: placeholders become values in header
/// fields only, bodies (Content-Length and chunked, trailers included) pass unchanged, several requests follow one
/// another, and whatever could be framed or addressed two ways is refused before it is forwarded.
/// </summary>
public sealed class RequestRewriterTests
{
    private const string Placeholder = "cordon-ph-0123456789abcdef0123456789abcdef";
    private const string OtherPlaceholder = "cordon-ph-fedcba9876543210fedcba9876543210";
    private const string Value = "s3cr3t-v@lue";

    private static readonly ProxySecrets Secrets = new(
    [
        new ProxySecret("API_TOKEN", Placeholder, Encoding.UTF8.GetBytes(Value), [Rule("api.test:443")]),
        new ProxySecret("OTHER_TOKEN", OtherPlaceholder, Encoding.UTF8.GetBytes("other-value"), [Rule("elsewhere.test:443")]),
    ]);

    [Fact]
    public async Task RunAsync_KeepAliveRequestsWithBodies_HeadersSubstitutedBodiesUntouched()
    {
        var body = $"{{\"token\":\"{Placeholder}\"}}";
        var input = $"POST /a HTTP/1.1\r\nHost: api.test\r\nAuthorization: Bearer {Placeholder}\r\nContent-Length: {body.Length}\r\n\r\n{body}"
            + $"GET /b?t={Placeholder} HTTP/1.1\r\nhost: API.test:443\r\nx-two: {Placeholder},{Placeholder}\r\nProxy-Authorization: Basic {Placeholder}\r\n\r\n";

        var (refusal, output, rewriter) = await RunAsync(input);

        Assert.Null(refusal);
        Assert.Equal(
            $"POST /a HTTP/1.1\r\nHost: api.test\r\nAuthorization: Bearer {Value}\r\nContent-Length: {body.Length}\r\n\r\n{body}"
            + $"GET /b?t={Placeholder} HTTP/1.1\r\nhost: API.test:443\r\nx-two: {Value},{Value}\r\n\r\n",
            output);
        Assert.Equal(2, rewriter.Forwarded);
        Assert.Equal(["API_TOKEN"], rewriter.Used);
        Assert.Empty(rewriter.Leaked);
    }

    [Fact]
    public async Task RunAsync_ChunkedBodyWithExtensionsAndTrailers_ForwardedAsItIs()
    {
        var body = $"5;name=x\r\nhello\r\n1A\r\n{Placeholder[..26]}\r\n0\r\nX-Trailer: {Placeholder}\r\n\r\n";
        var input = $"PUT /up HTTP/1.1\r\nHost: api.test\r\nTransfer-Encoding: chunked\r\nX-Key: {Placeholder}\r\n\r\n{body}"
            + "GET /next HTTP/1.1\r\nHost: api.test\r\n\r\n";

        var (refusal, output, rewriter) = await RunAsync(input);

        Assert.Null(refusal);
        Assert.Equal(
            $"PUT /up HTTP/1.1\r\nHost: api.test\r\nTransfer-Encoding: chunked\r\nX-Key: {Value}\r\n\r\n{body}GET /next HTTP/1.1\r\nHost: api.test\r\n\r\n",
            output);
        Assert.Equal(2, rewriter.Forwarded);
    }

    [Fact]
    public async Task RunAsync_RequestsArrivingByteByByte_SameAsAtOnce()
    {
        var input = $"POST /a HTTP/1.1\r\nHost: api.test\r\nAuthorization: Bearer {Placeholder}\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";

        var (refusal, output, _) = await RunAsync(input, trickle: true);

        Assert.Null(refusal);
        Assert.Equal(input.Replace(Placeholder, Value, StringComparison.Ordinal), output);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: api.test\r\nAuthorization: Bearer\r\n " + Placeholder + "\r\n\r\n", 400, "not name: value")]
    [InlineData("GET / HTTP/1.1\r\nHost: api.test\r\n\tAuthorization: Bearer " + Placeholder + "\r\n\r\n", 400, "not name: value")]
    [InlineData("GET / HTTP/1.1\r\nHost: api.test\r\nAuthorization : Bearer " + Placeholder + "\r\n\r\n", 400, "not name: value")]
    [InlineData("GET / HTTP/1.1\nHost: api.test\nAuthorization: Bearer " + Placeholder + "\n\r\n\r\n", 400, "CRLF")]
    [InlineData("POST / HTTP/1.1\r\nHost: api.test\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\nAuthorization: " + Placeholder + "\r\n\r\nabc", 400, "both")]
    [InlineData("POST / HTTP/1.1\r\nHost: api.test\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 400, "chunked")]
    [InlineData("POST / HTTP/1.1\r\nHost: api.test\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400, "Content-Length")]
    [InlineData("GET / HTTP/1.1\r\nHost: evil.test\r\nAuthorization: " + Placeholder + "\r\n\r\n", 403, "Host header")]
    [InlineData("GET / HTTP/1.1\r\nHost: api.test:8443\r\nAuthorization: " + Placeholder + "\r\n\r\n", 403, "Host header")]
    [InlineData("GET / HTTP/1.1\r\nHost: api.test\r\nHost: evil.test\r\n\r\n", 400, "exactly one Host")]
    [InlineData("GET / HTTP/1.1\r\nAuthorization: " + Placeholder + "\r\n\r\n", 400, "exactly one Host")]
    [InlineData("GET https://evil.test/ HTTP/1.1\r\nHost: api.test\r\nAuthorization: " + Placeholder + "\r\n\r\n", 400, "origin-form")]
    public async Task RunAsync_AmbiguousOrMisaddressedRequest_RefusedAndNothingForwarded(string input, int status, string reason)
    {
        var (refusal, output, rewriter) = await RunAsync(input);

        Assert.NotNull(refusal);
        Assert.Equal(status, refusal.Status);
        Assert.Contains(reason, refusal.Reason, StringComparison.Ordinal);
        Assert.Equal("", output);
        Assert.Equal(0, rewriter.Forwarded);
        Assert.Empty(rewriter.Used);
    }

    [Theory]
    [InlineData("zz\r\nabc\r\n0\r\n\r\n")]
    [InlineData("3\r\nabcXY0\r\n\r\n")]
    [InlineData("-1\r\nabc\r\n0\r\n\r\n")]
    [InlineData("1000000000000000\r\n")]
    public async Task RunAsync_MalformedChunk_RefusedWhereItBreaks(string body)
    {
        var (refusal, output, rewriter) = await RunAsync($"POST / HTTP/1.1\r\nHost: api.test\r\nTransfer-Encoding: chunked\r\n\r\n{body}GET /smuggled HTTP/1.1\r\nHost: api.test\r\nAuthorization: {Placeholder}\r\n\r\n");

        Assert.Equal(400, refusal?.Status);
        Assert.Equal(1, rewriter.Forwarded);
        Assert.DoesNotContain("/smuggled", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_PlaceholderOfASecretNotListedHere_LeftAndReported()
    {
        var input = $"GET / HTTP/1.1\r\nHost: api.test\r\nX-Other: {OtherPlaceholder}\r\nAuthorization: Bearer {Placeholder}\r\n\r\n";

        var (refusal, output, rewriter) = await RunAsync(input);

        Assert.Null(refusal);
        Assert.Contains($"X-Other: {OtherPlaceholder}\r\n", output, StringComparison.Ordinal);
        Assert.DoesNotContain("other-value", output, StringComparison.Ordinal);
        Assert.Equal(["API_TOKEN"], rewriter.Used);
        Assert.Equal(["OTHER_TOKEN"], rewriter.Leaked);
    }

    [Fact]
    public async Task RunAsync_ClientEndsInsideABody_CutAndNotAnswered()
    {
        var (refusal, output, _) = await RunAsync($"POST / HTTP/1.1\r\nHost: api.test\r\nAuthorization: {Placeholder}\r\nContent-Length: 10\r\n\r\nabc");

        Assert.Equal(0, refusal?.Status);
        Assert.EndsWith("\r\n\r\nabc", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Upgrade_LaterBytesPassUnread()
    {
        var input = $"GET /ws HTTP/1.1\r\nHost: api.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nAuthorization: {Placeholder}\r\n\r\n\x81\x05{Placeholder}";

        var (refusal, output, rewriter) = await RunAsync(input);

        Assert.Null(refusal);
        Assert.Equal(input.Replace($"Authorization: {Placeholder}", $"Authorization: {Value}", StringComparison.Ordinal), output);
        Assert.Equal(1, rewriter.Forwarded);
    }

    private static EgressRule Rule(string text) => EgressRule.TryParse(text, out var rule, out var problem) ? rule : throw new ArgumentException(problem);

    private static async Task<(EgressRefusal? Refusal, string Output, RequestRewriter Rewriter)> RunAsync(string input, bool trickle = false)
    {
        var bytes = Encoding.Latin1.GetBytes(input);
        Stream source = trickle ? new TrickleStream(bytes) : new MemoryStream(bytes);
        var output = new MemoryStream();
        var rewriter = new RequestRewriter(Secrets, HostNames.Normalize("api.test"), 443);
        var refusal = await rewriter.RunAsync(
            new HttpStreamReader(source),
            async (chunk, token) =>
            {
                await output.WriteAsync(chunk, token);
                return true;
            },
            TestContext.Current.CancellationToken);
        return (refusal, Encoding.Latin1.GetString(output.ToArray()), rewriter);
    }

    /// <summary>A stream that hands out one byte per read: every boundary a network could cut at.</summary>
    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }
}
