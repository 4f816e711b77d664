using System.Net.Sockets;

namespace Cordon.Init.Processes;

/// <summary>Writes a program's stdin exactly and closes it, so the program sees end of file.</summary>
internal static class StdinWriter
{
    public static async Task WriteAndCloseAsync(FdPipe pipe, byte[]? content, CancellationToken cancellationToken)
    {
        try
        {
            if (content is { Length: > 0 })
            {
                await pipe.WriteAsync(content, cancellationToken);
            }
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The program exited or closed stdin without reading everything; that is its business.
        }
        finally
        {
            pipe.Dispose();
        }
    }
}
