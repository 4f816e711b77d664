using System.Net.Sockets;

namespace Cordon.Runner.Egress;

/// <summary>
/// Splices a client and its upstream both ways until both have finished, passing a half-close on (one side's EOF
/// becomes a shutdown of the other's sending half) and counting every byte against the sandbox's budget before
/// forwarding it. Closed early when no byte moves either way for the idle timeout, when the budget runs out, or
/// when the proxy stops.
/// </summary>
internal sealed class Tunnel(Socket client, Socket upstream, EgressMeter meter, TimeSpan idleTimeout, TimeProvider time)
{
    private const int ChunkBytes = 16 * 1024;
    private long _bytesOut;
    private long _bytesIn;

    public long BytesOut => Interlocked.Read(ref _bytesOut);

    public long BytesIn => Interlocked.Read(ref _bytesIn);

    /// <summary>Runs the splice; returns why it was cut, or null.</summary>
    /// <param name="clientFirst">What goes upstream first: the client's bytes past its head, or a rewritten head and body.</param>
    /// <param name="clientLimit">How many more client bytes go upstream (the rest of a request body); null: all of them.</param>
    public async Task<string?> RunAsync(ReadOnlyMemory<byte> clientFirst, long? clientLimit, CancellationToken cancellationToken)
    {
        using var idle = new CancellationTokenSource(idleTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token);
        var outbound = PumpAsync(client, upstream, clientFirst, clientLimit, isOutbound: true, endsAll: false, idle, linked);
        // A single forwarded request is over when its response is: what the client might still send goes nowhere, so
        // a client that keeps its end open does not hold a connection until the idle timeout.
        var inbound = PumpAsync(upstream, client, ReadOnlyMemory<byte>.Empty, null, isOutbound: false, endsAll: clientLimit is not null, idle, linked);
        await Task.WhenAll(outbound, inbound);
        if (meter.IsExhausted && (await outbound || await inbound))
        {
            return EgressRefusal.ByteLimit;
        }

        if (idle.IsCancellationRequested)
        {
            return "idle timeout";
        }

        return cancellationToken.IsCancellationRequested ? "proxy stopped" : null;
    }

    /// <summary>Copies one direction; true when it stopped early (cancelled, failed, or out of budget).</summary>
    /// <param name="endsAll">This direction's end ends the other too.</param>
    private async Task<bool> PumpAsync(
        Socket from, Socket to, ReadOnlyMemory<byte> first, long? limit, bool isOutbound, bool endsAll, CancellationTokenSource idle, CancellationTokenSource linked)
    {
        var buffer = new byte[ChunkBytes];
        try
        {
            if (!first.IsEmpty && !await ForwardAsync(to, first, isOutbound, idle, linked.Token))
            {
                return Stop(linked);
            }

            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, linked.Token);
                if (read == 0)
                {
                    // EOF: the other side sees it as its peer's half-close and may still answer.
                    to.Shutdown(SocketShutdown.Send);
                    if (endsAll)
                    {
                        await linked.CancelAsync();
                    }

                    return false;
                }

                // Past the limit bytes are read and dropped: a request pipelined behind a plain-HTTP one, with a Host
                // of its own choosing, never reaches the upstream.
                var forward = limit is { } left ? (int)Math.Min(left, read) : read;
                limit -= forward;
                if (forward > 0 && !await ForwardAsync(to, buffer.AsMemory(0, forward), isOutbound, idle, linked.Token))
                {
                    return Stop(linked);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // A reset or a cancelled read ends this direction and, with it, the other: there is no one to talk to.
            return Stop(linked);
        }
    }

    private async Task<bool> ForwardAsync(Socket to, ReadOnlyMemory<byte> chunk, bool isOutbound, CancellationTokenSource idle, CancellationToken cancellationToken)
    {
        if (!meter.TryConsume(chunk.Length, isOutbound))
        {
            return false;
        }

        Interlocked.Add(ref isOutbound ? ref _bytesOut : ref _bytesIn, chunk.Length);
        idle.CancelAfter(idleTimeout);
        while (!chunk.IsEmpty)
        {
            var sent = await to.SendAsync(chunk, SocketFlags.None, cancellationToken);
            chunk = chunk[sent..];
        }

        idle.CancelAfter(idleTimeout);
        return true;
    }

    private static bool Stop(CancellationTokenSource linked)
    {
        linked.Cancel();
        return true;
    }
}
