using System.Net.Sockets;

namespace Cordon.Runner.Egress;

/// <summary>Reads a request head into a bounded buffer, within a deadline, stopping early at bytes no head holds.</summary>
internal static class HeadReader
{
    public const int MaxHeadBytes = 16 * 1024;

    private static ReadOnlySpan<byte> EndOfHead => "\r\n\r\n"u8;

    /// <param name="buffer">At least <see cref="MaxHeadBytes"/> long.</param>
    public static async Task<HeadRead> ReadAsync(Socket client, byte[] buffer, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var buffered = 0;
        try
        {
            while (buffered < MaxHeadBytes)
            {
                var read = await client.ReceiveAsync(buffer.AsMemory(buffered, MaxHeadBytes - buffered), SocketFlags.None, linked.Token);
                if (read == 0)
                {
                    return new HeadRead(HeadOutcome.Closed, 0, buffered);
                }

                var searchFrom = Math.Max(0, buffered - (EndOfHead.Length - 1));
                if (buffer.AsSpan(buffered, read).ContainsAnyExcept(HeadBytes.Allowed))
                {
                    return new HeadRead(HeadOutcome.Garbage, 0, buffered + read);
                }

                buffered += read;
                var end = buffer.AsSpan(searchFrom, buffered - searchFrom).IndexOf(EndOfHead);
                if (end >= 0)
                {
                    return new HeadRead(HeadOutcome.Complete, searchFrom + end + EndOfHead.Length, buffered);
                }
            }

            return new HeadRead(HeadOutcome.TooLarge, 0, buffered);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new HeadRead(HeadOutcome.TimedOut, 0, buffered);
        }
    }
}
