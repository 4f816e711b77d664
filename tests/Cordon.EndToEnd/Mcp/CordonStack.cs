using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Cordon.EndToEnd.Mcp;

/// <summary>
/// One runner and a control plane as real processes from <c>bin/</c>, as <c>scripts/run.sh</c> starts them, on free
/// loopback ports with a fresh data directory. <see cref="StartControlPlaneAsync"/> adds further control planes on
/// the same runner (the conformance suite needs one with the auth bypass).
/// </summary>
internal sealed class CordonStack : IAsyncDisposable
{
    private readonly List<ChildProcess> _processes = [];
    private readonly string _serviceToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private CordonStack(string dataDirectory) => DataDirectory = dataDirectory;

    public string DataDirectory { get; }

    public Uri RunnerUrl { get; private set; } = null!;

    public Uri ControlUrl { get; private set; } = null!;

    public static async Task<CordonStack> StartAsync(CancellationToken cancellationToken)
    {
        var root = Directory.CreateTempSubdirectory("cordon-e2e-mcp-");
        // Sandbox uids must traverse to the runner's root filesystem under it: 0711, not mkdtemp's 0700.
        root.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        var stack = new CordonStack(root.FullName);
        try
        {
            stack.RunnerUrl = new Uri($"http://127.0.0.1:{FreePort()}");
            var runner = ChildProcess.Start(Path.Combine(RepoPaths.Bin, "cordon-runner"), ["serve", "--urls", stack.RunnerUrl.ToString()],
                new Dictionary<string, string>
                {
                    ["Cordon__Runner__ServiceToken"] = stack._serviceToken,
                    ["Cordon__Runner__DataDir"] = Path.Combine(stack.DataDirectory, "runner"),
                    ["CORDON_DATA_DIR"] = stack.DataDirectory,
                });
            stack._processes.Add(runner);
            stack.ControlUrl = await stack.StartControlPlaneAsync(authBypass: false, cancellationToken);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a control plane on this stack's runner and waits until it is ready; returns its URL.</summary>
    public async Task<Uri> StartControlPlaneAsync(bool authBypass, CancellationToken cancellationToken)
    {
        var url = new Uri($"http://127.0.0.1:{FreePort()}");
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["CORDON_DATA_DIR"] = authBypass ? Path.Combine(DataDirectory, "bypass") : DataDirectory,
            ["Cordon__Runners__0__Id"] = "local",
            ["Cordon__Runners__0__Url"] = RunnerUrl.ToString(),
            ["Cordon__Runners__0__Token"] = _serviceToken,
        };
        if (authBypass)
        {
            environment["Cordon__Auth__Bypass"] = "true";
        }

        var control = ChildProcess.Start(Path.Combine(RepoPaths.Bin, "cordon-control"), ["--urls", url.ToString()], environment);
        _processes.Add(control);
        await WaitReadyAsync(url, control, cancellationToken);
        return url;
    }

    public string Token(string scopes = "jobs:run sessions:use files:rw") => DevToken.Mint(DataDirectory, "mcp-e2e", scopes);

    public string Logs => string.Join("\n---\n", _processes.Select(p => p.Output));

    public async ValueTask DisposeAsync()
    {
        // Control planes first, so nothing asks the runner for work while it stops.
        for (var i = _processes.Count - 1; i >= 0; i--)
        {
            await _processes[i].DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A runner that could not clean up leaves files for the next start to remove; never fail a test on it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static async Task WaitReadyAsync(Uri url, ChildProcess process, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The control plane exited while starting:\n{process.Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(url, "/readyz"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new InvalidOperationException($"The control plane at {url} was not ready within 90 s:\n{process.Output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
