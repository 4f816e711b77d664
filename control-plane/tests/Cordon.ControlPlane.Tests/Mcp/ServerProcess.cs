using System.Text.RegularExpressions;
using Cordon.TestSupport;

namespace Cordon.ControlPlane.Tests.Mcp;

/// <summary>
/// An ASP.NET Core app run as a child process on a free loopback port (Kestrel binds port 0 and logs the address
/// it got). Disposing it kills the process it started, and only that one.
/// </summary>
internal sealed partial class ServerProcess(ChildProcess process, Uri baseAddress) : IAsyncDisposable
{
    /// <summary>The base address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseAddress { get; } = baseAddress;

    /// <summary>Everything the process wrote so far, for failure messages.</summary>
    public string Output => process.Output;

    public static async Task<ServerProcess> StartAsync(
        string entryAssembly, IEnumerable<string> arguments, CancellationToken cancellationToken,
        IEnumerable<KeyValuePair<string, string?>>? environment = null)
    {
        var process = ChildProcess.Start(
            ChildProcess.CreateStartInfo("dotnet", [entryAssembly, "--urls", "http://127.0.0.1:0", .. arguments], environment), stopGrace: TimeSpan.Zero);
        try
        {
            await process.WaitUntilAsync(p => ListeningOn().IsMatch(p.Output), "\"Now listening on\"", TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        return new ServerProcess(process, new Uri(ListeningOn().Match(process.Output).Groups[1].Value));
    }

    public ValueTask DisposeAsync() => process.DisposeAsync();

    // The address ends at white space or, in the JSON log format, at the closing quote.
    [GeneratedRegex(@"Now listening on: (http://[^\s""]+)")]
    private static partial Regex ListeningOn();
}
