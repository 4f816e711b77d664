using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Cordon.ControlPlane.Tests.Mcp;

/// <summary>
/// An ASP.NET Core app run as a child process on a free loopback port (Kestrel binds port 0 and logs the address
/// it got). Disposing it kills the process it started, and only that one.
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process) => _process = process;

    /// <summary>The base address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Everything the process wrote so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<ServerProcess> StartAsync(
        string entryAssembly, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(entryAssembly);
        startInfo.ArgumentList.Add("--urls");
        startInfo.ArgumentList.Add("http://127.0.0.1:0");
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var server = new ServerProcess(new Process { StartInfo = startInfo });
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        DataReceivedEventHandler collect = (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (server._output)
            {
                server._output.AppendLine(e.Data);
            }

            if (ListeningOn().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        };
        server._process.OutputDataReceived += collect;
        server._process.ErrorDataReceived += collect;
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            server.BaseAddress = await listening.Task.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            var output = server.Output;
            await server.DisposeAsync();
            throw new InvalidOperationException($"{entryAssembly} did not start listening:\n{output}");
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningOn();
}
