using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Cordon.Runner.Egress;

/// <summary>
/// A CONNECT to a host of a proxy secret: the proxy is the TLS server to the sandbox (a leaf for the host, signed by
/// the runner's CA) and a verified TLS client to the real host, at the address the policy checked. Requests go through
/// <see cref="RequestRewriter"/> (placeholders become values in their headers); responses go back unchanged. Bytes
/// are counted in plaintext against the sandbox's budget before they are forwarded; idle, budget and stop close it as
/// they close a <see cref="Tunnel"/>.
/// </summary>
internal sealed class SecretTunnel(
    Socket client, Socket upstream, NormalizedHost host, int port, EgressInterception interception, EgressMeter meter, EgressOptions options, TimeProvider time)
    : IAsyncDisposable
{
    private const int ChunkBytes = 16 * 1024;
    private readonly RequestRewriter _rewriter = new(interception.Secrets, host, port);
    private readonly SemaphoreSlim _clientWrites = new(1, 1);
    private readonly TimeSpan _idleTimeout = TimeSpan.FromSeconds(options.IdleTimeoutSeconds);
    private SslStream? _upstreamTls;
    private long _bytesOut;
    private long _bytesIn;

    public long BytesOut => Interlocked.Read(ref _bytesOut);

    public long BytesIn => Interlocked.Read(ref _bytesIn);

    public IReadOnlyCollection<string> Used => _rewriter.Used;

    public IReadOnlyCollection<string> Leaked => _rewriter.Leaked;

    /// <summary>Opens the verified TLS connection to the real host, before the sandbox is told its CONNECT succeeded; null or why not.</summary>
    public async Task<string?> ConnectUpstreamAsync(CancellationToken cancellationToken)
    {
        var tls = new SslStream(new NetworkStream(upstream, ownsSocket: false));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(options.ConnectTimeoutSeconds), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = host.Name ?? host.Address!.ToString(),
                    ApplicationProtocols = [SslApplicationProtocol.Http11],
                    RemoteCertificateValidationCallback = interception.Trust.Validate,
                },
                linked.Token);
            _upstreamTls = tls;
            return null;
        }
        catch (Exception e) when (e is AuthenticationException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            await tls.DisposeAsync();
            return e is AuthenticationException
                ? $"TLS to {host}:{port} failed verification ({e.Message})"
                : $"TLS to {host}:{port} failed ({(e is OperationCanceledException ? "timed out" : e.Message)})";
        }
    }

    /// <summary>Serves the sandbox's side until both ends finish; returns why it was cut, or null.</summary>
    /// <param name="clientFirst">What the sandbox sent behind its CONNECT head (the start of its TLS hello, perhaps).</param>
    public async Task<string?> RunAsync(ReadOnlyMemory<byte> clientFirst, CancellationToken cancellationToken)
    {
        var upstreamTls = _upstreamTls ?? throw new InvalidOperationException("ConnectUpstreamAsync first");
        await using var clientTls = new SslStream(new PrefixedStream(clientFirst, new NetworkStream(client, ownsSocket: false)));
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(options.HeaderTimeoutSeconds), time))
        using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token))
        {
            try
            {
                await clientTls.AuthenticateAsServerAsync(
                    new SslServerAuthenticationOptions
                    {
                        ServerCertificateContext = interception.Authority.ContextFor(host),
                        ApplicationProtocols = [SslApplicationProtocol.Http11],
                    },
                    handshake.Token);
            }
            catch (Exception e) when (e is AuthenticationException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return "the sandbox's TLS handshake with the proxy failed (does it trust the runner's egress CA?)";
            }
        }

        using var idle = new CancellationTokenSource(_idleTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token);
        var outbound = OutboundAsync(clientTls, upstreamTls, idle, linked);
        var inbound = InboundAsync(upstreamTls, clientTls, idle, linked);
        var (refusal, stoppedIn) = (await outbound, await inbound);
        if (meter.IsExhausted && (stoppedIn || refusal?.Reason == EgressRefusal.ByteLimit))
        {
            return EgressRefusal.ByteLimit;
        }

        if (refusal is not null)
        {
            return refusal.Reason;
        }

        if (idle.IsCancellationRequested)
        {
            return "idle timeout";
        }

        return cancellationToken.IsCancellationRequested ? "proxy stopped" : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_upstreamTls is not null)
        {
            await _upstreamTls.DisposeAsync();
        }

        _clientWrites.Dispose();
    }

    private async Task<EgressRefusal?> OutboundAsync(SslStream clientTls, SslStream upstreamTls, CancellationTokenSource idle, CancellationTokenSource linked)
    {
        try
        {
            var refusal = await _rewriter.RunAsync(new HttpStreamReader(clientTls), (bytes, token) => ForwardAsync(upstreamTls, bytes, isOutbound: true, idle, token), linked.Token);
            if (refusal is null)
            {
                // The sandbox is done sending: the host sees the end of its requests and may still answer.
                await upstreamTls.ShutdownAsync();
                upstream.Shutdown(SocketShutdown.Send);
                return null;
            }

            // A refused first request is answered; once an earlier response may be on its way, closing is all there is.
            if (refusal.Status > 0 && _rewriter.Forwarded == 0)
            {
                await WriteClientAsync(clientTls, EgressResponses.Refusal(refusal, $"{host}:{port}"), linked.Token);
            }

            await linked.CancelAsync();
            return refusal;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            await linked.CancelAsync();
            return null;
        }
    }

    /// <summary>The host's responses, byte for byte; true when it stopped early (cancelled, failed, out of budget).</summary>
    private async Task<bool> InboundAsync(SslStream upstreamTls, SslStream clientTls, CancellationTokenSource idle, CancellationTokenSource linked)
    {
        var buffer = new byte[ChunkBytes];
        try
        {
            while (true)
            {
                var read = await upstreamTls.ReadAsync(buffer, linked.Token);
                if (read == 0)
                {
                    // The host closed: nobody is left to send requests to.
                    await clientTls.ShutdownAsync();
                    client.Shutdown(SocketShutdown.Send);
                    await linked.CancelAsync();
                    return false;
                }

                if (!await ForwardAsync(clientTls, buffer.AsMemory(0, read), isOutbound: false, idle, linked.Token))
                {
                    await linked.CancelAsync();
                    return true;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            await linked.CancelAsync();
            return true;
        }
    }

    private async ValueTask<bool> ForwardAsync(SslStream to, ReadOnlyMemory<byte> chunk, bool isOutbound, CancellationTokenSource idle, CancellationToken cancellationToken)
    {
        if (!meter.TryConsume(chunk.Length, isOutbound))
        {
            return false;
        }

        Interlocked.Add(ref isOutbound ? ref _bytesOut : ref _bytesIn, chunk.Length);
        idle.CancelAfter(_idleTimeout);
        if (isOutbound)
        {
            await to.WriteAsync(chunk, cancellationToken);
        }
        else
        {
            await WriteClientAsync(to, chunk, cancellationToken);
        }

        idle.CancelAfter(_idleTimeout);
        return true;
    }

    private async Task WriteClientAsync(SslStream clientTls, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await _clientWrites.WaitAsync(cancellationToken);
        try
        {
            await clientTls.WriteAsync(bytes, cancellationToken);
        }
        finally
        {
            _clientWrites.Release();
        }
    }
}
