using System.Globalization;
using System.Text;

namespace Cordon.Runner.Egress;

/// <summary>
/// The client-to-host direction of a connection to a host with proxy secrets, after its TLS is terminated: reads
/// HTTP/1.1 requests one after the other (keep-alive, pipelining), replaces the placeholders of the secrets listed for
/// this host in each request's header fields, and forwards every request head and body (Content-Length or chunked)
/// as it arrives. The responses are not this class's: they go back to the client byte for byte.
/// Anything that could be read two ways — folded headers, both Content-Length and Transfer-Encoding, a Host that is not
/// this host, an absolute-form target — is refused before a byte of that request is forwarded.
/// </summary>
internal sealed class RequestRewriter(ProxySecrets secrets, NormalizedHost host, int port)
{
    private const int MaxLineBytes = 4096;
    private const int MaxTrailerBytes = 16 * 1024;
    private const int HttpsPort = 443;
    private readonly SortedSet<string> _used = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _leaked = new(StringComparer.Ordinal);

    /// <summary>How many request heads were forwarded.</summary>
    public int Forwarded { get; private set; }

    /// <summary>The secrets substituted into at least one request.</summary>
    public IReadOnlyCollection<string> Used => _used;

    /// <summary>The secrets whose placeholder a request carried here, a host they are not listed for.</summary>
    public IReadOnlyCollection<string> Leaked => _leaked;

    /// <summary>
    /// Forwards requests until the client ends its stream (null) or a request is refused (the refusal; status 0 when
    /// nothing is to be answered: the client or the budget ended inside a request).
    /// </summary>
    public async Task<EgressRefusal?> RunAsync(HttpStreamReader from, HttpStreamReader.Send send, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (outcome, bytes) = await from.ReadHeadAsync(cancellationToken);
            switch (outcome)
            {
                case HeadOutcome.Closed:
                    return from.HasBuffered ? new EgressRefusal(0, "the client closed inside a request head") : null;
                case HeadOutcome.TooLarge:
                    return new EgressRefusal(431, $"the request head is over {HeadReader.MaxHeadBytes} bytes");
                case HeadOutcome.Garbage:
                    return EgressRefusal.BadRequest("the request is not HTTP");
            }

            if (!RequestHead.TryParse(bytes, out var head, out var problem))
            {
                return EgressRefusal.BadRequest(problem);
            }

            var framing = Framing(head, out var length, out var chunked);
            var refusal = TargetRefusal(head) ?? framing;
            var inspected = secrets.Inspect(head, host, port, substitute: refusal is null);
            _leaked.UnionWith(inspected.Leaked);
            if (refusal is not null)
            {
                return refusal;
            }

            _used.UnionWith(inspected.Used);
            if (!await send(Serialize(head, inspected.Headers), cancellationToken))
            {
                return new EgressRefusal(0, EgressRefusal.ByteLimit);
            }

            Forwarded++;
            var body = chunked ? await CopyChunkedAsync(from, send, cancellationToken) : await from.CopyAsync(length, send, cancellationToken) ? null : Cut;
            if (body is not null)
            {
                return body;
            }

            // After a protocol switch the bytes are no longer HTTP requests: they go on as they are, unread.
            if (head.Values("Upgrade").Any() || string.Equals(head.Method, "CONNECT", StringComparison.Ordinal))
            {
                return await from.CopyToEndAsync(send, cancellationToken) ? null : Cut;
            }
        }
    }

    private static EgressRefusal Cut => new(0, "the client or the byte budget ended inside a request");

    /// <summary>The request must name this host, in origin-form: the value goes only where the proxy connected.</summary>
    private EgressRefusal? TargetRefusal(RequestHead head)
    {
        if (!head.Target.StartsWith('/') && !(head.Target == "*" && head.Method == "OPTIONS"))
        {
            return EgressRefusal.BadRequest("a request to a host with proxy secrets uses an origin-form target (/path)");
        }

        var values = head.Values("Host").ToList();
        if (values.Count != 1)
        {
            return EgressRefusal.BadRequest("a request to a host with proxy secrets has exactly one Host header");
        }

        var matches = RequestTarget.TrySplitAuthority(values[0], HttpsPort, out var headerHost, out var headerPort)
            && headerPort == port
            && HostNames.Normalize(headerHost) is { IsValid: true } normalized
            && normalized.ToString() == host.ToString();
        return matches ? null : EgressRefusal.Forbidden("Host header does not match the CONNECT target");
    }

    private static EgressRefusal? Framing(RequestHead head, out long length, out bool chunked)
    {
        length = 0;
        chunked = false;
        var encodings = head.Values("Transfer-Encoding").SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)).ToList();
        var lengths = head.Values("Content-Length").SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal).ToList();
        if (encodings.Count > 0)
        {
            if (lengths.Count > 0)
            {
                return EgressRefusal.BadRequest("the request has both Transfer-Encoding and Content-Length");
            }

            if (encodings is not [var only] || !string.Equals(only, "chunked", StringComparison.OrdinalIgnoreCase))
            {
                return EgressRefusal.BadRequest("the only Transfer-Encoding proxied is chunked");
            }

            chunked = true;
            return null;
        }

        if (lengths.Count == 0)
        {
            return null;
        }

        if (lengths.Count > 1 || lengths[0].Length is 0 or > 18 || !lengths[0].All(char.IsAsciiDigit))
        {
            return EgressRefusal.BadRequest("the Content-Length is not one number");
        }

        length = long.Parse(lengths[0], CultureInfo.InvariantCulture);
        return null;
    }

    /// <summary>Forwards a chunked body as it is: each size line, its data and CRLF, the last chunk and its trailers.</summary>
    private static async Task<EgressRefusal?> CopyChunkedAsync(HttpStreamReader from, HttpStreamReader.Send send, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await from.ReadLineAsync(MaxLineBytes, cancellationToken) is not { } line)
            {
                return Cut;
            }

            var sizeEnd = line.AsSpan().IndexOf((byte)';');
            var sizeText = Encoding.ASCII.GetString(sizeEnd < 0 ? line : line[..sizeEnd]);
            if (sizeText.Length is 0 or > 15 || !sizeText.All(char.IsAsciiHexDigit) || line.AsSpan().ContainsAnyExcept(HeadBytes.Allowed) || line.AsSpan().IndexOfAny((byte)'\r', (byte)'\n') >= 0)
            {
                return EgressRefusal.BadRequest("a chunk size is not a hexadecimal number");
            }

            var size = long.Parse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            if (!await send((byte[])[.. line, (byte)'\r', (byte)'\n'], cancellationToken))
            {
                return Cut;
            }

            if (size == 0)
            {
                return await CopyTrailersAsync(from, send, cancellationToken);
            }

            if (!await from.CopyAsync(size, send, cancellationToken))
            {
                return Cut;
            }

            if (await from.ReadLineAsync(MaxLineBytes, cancellationToken) is not { } end)
            {
                return Cut;
            }

            if (end.Length != 0)
            {
                return EgressRefusal.BadRequest("a chunk's data does not end in CRLF");
            }

            if (!await send("\r\n"u8.ToArray(), cancellationToken))
            {
                return Cut;
            }
        }
    }

    /// <summary>Trailer fields up to the blank line, forwarded unchanged (substitution is for the head's fields only).</summary>
    private static async Task<EgressRefusal?> CopyTrailersAsync(HttpStreamReader from, HttpStreamReader.Send send, CancellationToken cancellationToken)
    {
        for (var total = 0; ;)
        {
            if (await from.ReadLineAsync(MaxLineBytes, cancellationToken) is not { } line)
            {
                return Cut;
            }

            total += line.Length + 2;
            if (total > MaxTrailerBytes || line.AsSpan().ContainsAnyExcept(HeadBytes.Allowed) || line.AsSpan().IndexOfAny((byte)'\r', (byte)'\n') >= 0)
            {
                return EgressRefusal.BadRequest("the trailer section is malformed or too large");
            }

            if (!await send((byte[])[.. line, (byte)'\r', (byte)'\n'], cancellationToken))
            {
                return Cut;
            }

            if (line.Length == 0)
            {
                return null;
            }
        }
    }

    /// <summary>The head as forwarded: request line, the (substituted) fields without Proxy-* ones, the blank line.</summary>
    private static byte[] Serialize(RequestHead head, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var text = new StringBuilder();
        text.Append(head.Method).Append(' ').Append(head.Target).Append(' ').Append(head.Version).Append("\r\n");
        foreach (var (name, value) in headers)
        {
            if (!name.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase))
            {
                text.Append(name).Append(": ").Append(value).Append("\r\n");
            }
        }

        text.Append("\r\n");
        return Encoding.Latin1.GetBytes(text.ToString());
    }
}
