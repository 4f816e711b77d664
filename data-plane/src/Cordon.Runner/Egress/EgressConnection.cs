using System.Net;
using System.Net.Sockets;
using System.Text;
using Cordon.Logging;
using Microsoft.Extensions.Logging;

namespace Cordon.Runner.Egress;

/// <summary>
/// One client connection on a sandbox's proxy socket, from its request head to its record: read and parse the
/// head, check the limits and the policy, connect to the checked addresses, then splice. Nothing the client sends
/// escapes as an exception; every way it ends is one <see cref="EgressConnectionRecord"/>.
/// </summary>
internal sealed class EgressConnection(
    Socket client,
    EgressOptions options,
    EgressPolicy policy,
    EgressMeter meter,
    TimeProvider time,
    ILogger logger,
    EgressInterception? interception = null)
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(1);
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();
    private readonly long _started = time.GetTimestamp();
    private string _host = "";
    private int _port;
    private string? _address;
    private EgressRule? _rule;
    private Tunnel? _tunnel;
    private SecretTunnel? _secretTunnel;
    private IReadOnlyList<string> _used = [];
    private IReadOnlyList<string> _leaked = [];

    /// <param name="overLimit">The meter counted more open connections than allowed with this one.</param>
    public async Task<EgressConnectionRecord> RunAsync(bool overLimit, CancellationToken cancellationToken)
    {
        Socket? upstream = null;
        EgressRefusal? refusal = null;
        string? cut = null;
        try
        {
            var buffer = new byte[HeadReader.MaxHeadBytes];
            var read = await HeadReader.ReadAsync(client, buffer, TimeSpan.FromSeconds(options.HeaderTimeoutSeconds), time, cancellationToken);
            refusal = read.Outcome switch
            {
                HeadOutcome.Closed => new EgressRefusal(0, "the client closed before sending a request"),
                HeadOutcome.TooLarge => new EgressRefusal(431, $"the request head is over {HeadReader.MaxHeadBytes} bytes"),
                HeadOutcome.TimedOut => new EgressRefusal(408, $"no request head within {options.HeaderTimeoutSeconds} s"),
                HeadOutcome.Garbage => EgressRefusal.BadRequest("the request is not HTTP"),
                _ => null,
            };
            if (refusal is null)
            {
                (refusal, upstream, var forward, var limit) = await OpenAsync(buffer, read, overLimit, cancellationToken);
                if (upstream is not null)
                {
                    // The budget running out closes the tunnels; a connection still being refused gets its answer.
                    using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, meter.Exhausted);
                    if (_secretTunnel is not null)
                    {
                        cut = await _secretTunnel.RunAsync(forward, budget.Token);
                    }
                    else
                    {
                        _tunnel = new Tunnel(client, upstream, meter, TimeSpan.FromSeconds(options.IdleTimeoutSeconds), time);
                        cut = await _tunnel.RunAsync(forward, limit, budget.Token);
                    }
                }
            }

            if (refusal is { Status: > 0 })
            {
                await RefuseAsync(refusal, cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            cut = "proxy stopped";
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            cut = "the client went away";
        }
        catch (Exception e)
        {
            // A bug here must cost this connection, never the runner.
            EgressLog.ConnectionFailed(logger, e);
            cut = "internal error";
        }
        finally
        {
            if (_secretTunnel is not null)
            {
                await _secretTunnel.DisposeAsync();
            }

            upstream?.Dispose();
            client.Dispose();
        }

        return Record(refusal, cut);
    }

    private async Task<(EgressRefusal? Refusal, Socket? Upstream, ReadOnlyMemory<byte> Forward, long? Limit)> OpenAsync(
        byte[] buffer, HeadRead read, bool overLimit, CancellationToken cancellationToken)
    {
        if (!RequestHead.TryParse(buffer.AsSpan(0, read.HeadLength - 4), out var head, out var problem))
        {
            return (EgressRefusal.BadRequest(problem), null, default, null);
        }

        if (!RequestTarget.TryParse(head, out var target, out var badTarget))
        {
            return (badTarget, null, default, null);
        }

        var host = HostNames.Normalize(target.Host);
        _host = host.IsValid ? host.ToString() : LogText.Escape(target.Host, 255)!;
        _port = target.Port;
        // Every head the proxy sees is looked at: a placeholder sent toward a host it is not for is reported, whatever
        // then becomes of the request. A plain-HTTP request to its host has it replaced in the forwarded head.
        var inspected = interception?.Secrets.Inspect(head, host, target.Port, substitute: !target.IsConnect);
        _leaked = inspected?.Leaked ?? [];
        if (overLimit)
        {
            return (EgressRefusal.TooMany(EgressRefusal.ConnectionLimit), null, default, null);
        }

        if (meter.IsExhausted)
        {
            return (EgressRefusal.TooMany(EgressRefusal.ByteLimit), null, default, null);
        }

        long body = 0;
        if (!target.IsConnect && (HostHeaderRefusal(head, host, target) ?? BodyLength(head, out body)) is { } badRequest)
        {
            return (badRequest, null, default, null);
        }

        var decision = await policy.DecideAsync(host, target.Port, cancellationToken);
        _rule = decision.Rule;
        if (decision.Refusal is { } refused)
        {
            _address = decision.Addresses.FirstOrDefault()?.ToString();
            return (refused, null, default, null);
        }

        var (upstream, failure) = await ConnectAsync(decision.Addresses, target.Port, cancellationToken);
        if (upstream is null)
        {
            return (EgressRefusal.BadGateway(failure!), null, default, null);
        }

        var rest = buffer.AsMemory(read.HeadLength, read.Buffered - read.HeadLength);
        try
        {
            if (target.IsConnect)
            {
                if (interception is not null && interception.Secrets.IsListed(host, target.Port))
                {
                    _secretTunnel = new SecretTunnel(client, upstream, host, target.Port, interception, meter, options, time);
                    if (await _secretTunnel.ConnectUpstreamAsync(cancellationToken) is { } tlsFailure)
                    {
                        upstream.Dispose();
                        return (EgressRefusal.BadGateway(tlsFailure), null, default, null);
                    }
                }

                await client.SendAsync(EgressResponses.Established, SocketFlags.None, cancellationToken);
                return (null, upstream, rest, null);
            }

            if (inspected is not null)
            {
                head = head with { Headers = inspected.Headers };
                _used = inspected.Used;
            }

            // The head goes as the tunnel's first bytes (counted there) with what the client already sent of the body
            // behind it; the tunnel forwards the rest of the body and nothing past it.
            var sent = rest[..(int)Math.Min(rest.Length, body)];
            return (null, upstream, (byte[])[.. ForwardedHead(head, target), .. sent.Span], body - sent.Length);
        }
        catch
        {
            upstream.Dispose();
            throw;
        }
    }

    /// <summary>The Host header must name the URI's authority, so a spoofed Host never reaches the upstream.</summary>
    private static EgressRefusal? HostHeaderRefusal(RequestHead head, NormalizedHost host, RequestTarget target)
    {
        var values = head.Values("Host").ToList();
        if (values.Count > 1)
        {
            return EgressRefusal.BadRequest("the request has more than one Host header");
        }

        // No Host header (HTTP/1.0): the forwarded head carries the URI's authority anyway.
        if (values.Count == 0)
        {
            return null;
        }

        var matches = RequestTarget.TrySplitAuthority(values[0], 80, out var headerHost, out var headerPort)
            && headerPort == target.Port
            && HostNames.Normalize(headerHost) is { IsValid: true } normalized
            && normalized.ToString() == host.ToString();
        return matches ? null : EgressRefusal.Forbidden("Host header does not match the request target");
    }

    /// <summary>
    /// The request body's length from Content-Length (0 without one). Chunked bodies are refused: the proxy forwards
    /// exactly one request, so it must know where that request ends.
    /// </summary>
    private static EgressRefusal? BodyLength(RequestHead head, out long length)
    {
        length = 0;
        if (head.Values("Transfer-Encoding").Any())
        {
            return new EgressRefusal(411, "request bodies must have a Content-Length (Transfer-Encoding is not proxied)");
        }

        var lengths = head.Values("Content-Length").SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal).ToList();
        if (lengths.Count == 0)
        {
            return null;
        }

        if (lengths.Count > 1 || lengths[0].Length is 0 or > 18 || !lengths[0].All(char.IsAsciiDigit))
        {
            return EgressRefusal.BadRequest("the Content-Length is not one number");
        }

        length = long.Parse(lengths[0], System.Globalization.CultureInfo.InvariantCulture);
        return null;
    }

    /// <summary>The request in origin-form with hop-by-hop and Proxy-* headers dropped and Connection: close.</summary>
    private static byte[] ForwardedHead(RequestHead head, RequestTarget target)
    {
        var named = head.Values("Connection").SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        var dropped = new HashSet<string>(named, StringComparer.OrdinalIgnoreCase) { "Host", "Connection", "Keep-Alive", "TE", "Trailer", "Upgrade" };
        var text = new StringBuilder();
        text.Append(head.Method).Append(' ').Append(target.OriginForm).Append(' ').Append(head.Version).Append("\r\n");
        text.Append("Host: ").Append(target.Authority).Append("\r\n");
        foreach (var (name, value) in head.Headers)
        {
            // Content-Length stays: it frames the body that follows (a chunked one was refused before).
            if (!dropped.Contains(name) && !name.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase))
            {
                text.Append(name).Append(": ").Append(value).Append("\r\n");
            }
        }

        text.Append("Connection: close\r\n\r\n");
        return Encoding.Latin1.GetBytes(text.ToString());
    }

    private async Task<(Socket? Upstream, string? Failure)> ConnectAsync(IReadOnlyList<IPAddress> addresses, int port, CancellationToken cancellationToken)
    {
        string? failure = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(options.ConnectTimeoutSeconds), time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), linked.Token);
                _address = address.ToString();
                return (socket, null);
            }
            catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                socket.Dispose();
                failure = e is SocketException s
                    ? $"could not connect to {address}: {s.SocketErrorCode}"
                    : $"could not connect to {address} within {options.ConnectTimeoutSeconds} s";
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        return (null, failure ?? "no address to connect to");
    }

    /// <summary>Answers the refusal, then reads off what the client still sends so closing does not reset the answer away.</summary>
    private async Task RefuseAsync(EgressRefusal refusal, CancellationToken cancellationToken)
    {
        var target = _host.Length == 0 ? null : $"{_host}:{_port}";
        await client.SendAsync(EgressResponses.Refusal(refusal, target), SocketFlags.None, cancellationToken);
        client.Shutdown(SocketShutdown.Send);
        using var deadline = new CancellationTokenSource(DrainTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var sink = new byte[4096];
        try
        {
            for (var drained = 0; drained < 64 * 1024;)
            {
                var read = await client.ReceiveAsync(sink, SocketFlags.None, linked.Token);
                if (read == 0)
                {
                    break;
                }

                drained += read;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The client keeps its end open; the answer was sent, closing now is fine.
        }
    }

    private EgressConnectionRecord Record(EgressRefusal? refusal, string? cut)
    {
        var allowed = refusal is null || refusal.IsError;
        return new EgressConnectionRecord(
            _startedAt,
            _host,
            _port,
            _address,
            allowed,
            allowed ? _rule?.ToString() ?? "" : "",
            refusal?.Reason ?? cut,
            _tunnel?.BytesOut ?? _secretTunnel?.BytesOut ?? 0,
            _tunnel?.BytesIn ?? _secretTunnel?.BytesIn ?? 0,
            (long)time.GetElapsedTime(_started).TotalMilliseconds)
        {
            SecretsUsed = [.. _used.Union(_secretTunnel?.Used ?? []).Order(StringComparer.Ordinal)],
            PlaceholderLeaks = [.. _leaked.Union(_secretTunnel?.Leaked ?? []).Order(StringComparer.Ordinal)],
        };
    }
}
