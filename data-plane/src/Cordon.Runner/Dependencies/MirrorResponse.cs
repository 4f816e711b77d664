using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Cordon.Runner.Egress;

namespace Cordon.Runner.Dependencies;

/// <summary>The mirror's answers on the sandbox's socket: one response per connection, which it then closes.</summary>
internal static class MirrorResponse
{
    public static async Task WriteAsync(Socket client, int status, string contentType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        await WriteHeadAsync(client, status, contentType, body.Length, cancellationToken);
        await client.SendAsync(body, SocketFlags.None, cancellationToken);
    }

    /// <summary><c>cordon dependencies: …</c> as text/plain, which pip and npm both print.</summary>
    public static Task RefuseAsync(Socket client, int status, string message, CancellationToken cancellationToken) =>
        WriteAsync(client, status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes("cordon dependencies: " + message + "\n"), cancellationToken);

    /// <param name="length">Null: the body ends when the connection closes.</param>
    public static async Task WriteHeadAsync(Socket client, int status, string contentType, long? length, CancellationToken cancellationToken)
    {
        var head = new StringBuilder().Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {ReasonPhrases.Of(status)}\r\nContent-Type: {contentType}\r\n");
        if (length is { } bytes)
        {
            head.Append(CultureInfo.InvariantCulture, $"Content-Length: {bytes}\r\n");
        }

        head.Append("Cache-Control: no-store\r\nConnection: close\r\n\r\n");
        await client.SendAsync(Encoding.ASCII.GetBytes(head.ToString()), SocketFlags.None, cancellationToken);
    }
}
