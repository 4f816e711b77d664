using System.Net;
using System.Net.Sockets;

namespace Cordon.TestSupport;

/// <summary>Free loopback TCP ports for servers the tests start as processes.</summary>
public static class FreePort
{
    /// <summary>A port the kernel just handed out and released; racy in principle, unique enough on loopback in practice.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary><c>http://127.0.0.1:&lt;free port&gt;</c>.</summary>
    public static Uri NextLoopbackUrl() => new($"http://127.0.0.1:{Next()}");
}
