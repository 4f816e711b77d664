using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Cordon.TestSupport.Egress;

namespace Cordon.Runner.UnitTests.Egress;

/// <summary>
/// A real HTTPS server on 127.0.0.1 with a certificate from a throwaway CA (written to <see cref="CaFile"/>): it reads
/// requests one after another on each connection (Content-Length or chunked bodies), keeps what it received, and
/// answers each with a small keep-alive response — the kind of host a proxy secret is for.
/// </summary>
internal sealed class TlsKeepAliveUpstream : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly X509Certificate2 _certificate;
    private readonly Task _serving;

    public TlsKeepAliveUpstream(string directory, string name)
    {
        var certificates = TestCertificates.Create([name], "127.0.0.1");
        CaFile = Path.Combine(directory, "upstream-ca.pem");
        File.WriteAllText(CaFile, certificates.CaPem);
        _certificate = X509Certificate2.CreateFromPem(certificates.ServerPem, certificates.ServerKeyPem);
        _listener.Start();
        _serving = ServeAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string CaFile { get; }

    /// <summary>Every request received (head and body), in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _serving;
        _certificate.Dispose();
        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        var handlers = new List<Task>();
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                handlers.Add(AnswerAsync(socket));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(handlers);
    }

    private async Task AnswerAsync(Socket socket)
    {
        try
        {
            await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop.Token);
            using var reader = new StreamReader(tls, Encoding.Latin1, leaveOpen: true);
            for (var n = 1; ; n++)
            {
                var head = new StringBuilder();
                string? line;
                while ((line = await reader.ReadLineAsync(_stop.Token)) is { Length: > 0 })
                {
                    head.Append(line).Append('\n');
                }

                if (line is null)
                {
                    return;
                }

                var text = head.ToString();
                var body = await ReadBodyAsync(reader, text);
                Requests.Enqueue(text + "\n" + body);
                var reply = $"response {n}";
                await tls.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {reply.Length}\r\n\r\n{reply}"), _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or System.Security.Authentication.AuthenticationException)
        {
        }
    }

    private async Task<string> ReadBodyAsync(StreamReader reader, string head)
    {
        var lines = head.Split('\n');
        if (lines.Any(l => l.StartsWith("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase)))
        {
            var body = new StringBuilder();
            while (true)
            {
                var size = Convert.ToInt32((await reader.ReadLineAsync(_stop.Token))!.Split(';')[0], 16);
                if (size == 0)
                {
                    while ((await reader.ReadLineAsync(_stop.Token)) is { Length: > 0 })
                    {
                    }

                    return body.ToString();
                }

                var chunk = new char[size];
                await reader.ReadBlockAsync(chunk, _stop.Token);
                body.Append(chunk);
                await reader.ReadLineAsync(_stop.Token);
            }
        }

        var length = lines.FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) is { } header ? int.Parse(header[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture) : 0;
        if (length == 0)
        {
            return ""; // ReadBlockAsync of nothing would still wait for bytes
        }

        var buffer = new char[length];
        await reader.ReadBlockAsync(buffer, _stop.Token);
        return new string(buffer);
    }
}
