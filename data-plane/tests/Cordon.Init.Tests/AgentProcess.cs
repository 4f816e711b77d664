using System.Diagnostics;
using System.Net.Sockets;

namespace Cordon.Init.Tests;

/// <summary>
/// The real agent binary on the host with a temporary socket and workspace: <c>CORDON_INIT_PATH</c> (the AOT
/// build in CI) or the apphost built next to this test assembly.
/// </summary>
internal sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _root;

    private AgentProcess(Process process, string root)
    {
        _process = process;
        _root = root;
    }

    public string SocketPath => Path.Join(_root, "agent.sock");

    public string Workspace => Path.Join(_root, "workspace");

    public int Pid => _process.Id;

    public AgentClient Client => new(SocketPath);

    public static async Task<AgentProcess> StartAsync(CancellationToken cancellationToken)
    {
        var root = Directory.CreateTempSubdirectory("cordon-init-test-").FullName;
        Directory.CreateDirectory(Path.Join(root, "workspace"));
        var start = new ProcessStartInfo(BinaryPath())
        {
            ArgumentList = { "--socket", Path.Join(root, "agent.sock"), "--workspace", Path.Join(root, "workspace") },
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("cordon-init did not start.");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var agent = new AgentProcess(process, root);
        await agent.WaitForSocketAsync(cancellationToken);
        return agent;
    }

    public static string RepoRoot()
    {
        if (Environment.GetEnvironmentVariable("CORDON_REPO_ROOT") is { Length: > 0 } root)
        {
            return root;
        }

        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Join(directory.FullName, "Cordon.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (Cordon.slnx).");
    }

    private static string BinaryPath() =>
        Environment.GetEnvironmentVariable("CORDON_INIT_PATH") is { Length: > 0 } path ? path : Path.Join(AppContext.BaseDirectory, "cordon-init");

    private async Task WaitForSocketAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"cordon-init exited with {_process.ExitCode}.");
            }

            if (File.Exists(SocketPath))
            {
                try
                {
                    using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), cancellationToken);
                    return;
                }
                catch (SocketException)
                {
                }
            }

            await Task.Delay(20, cancellationToken);
        }

        throw new TimeoutException("cordon-init did not listen within 20 s.");
    }

    /// <summary>Sends SIGTERM and returns the agent's exit code.</summary>
    public async Task<int> TerminateAsync(CancellationToken cancellationToken)
    {
        SendTerm(_process.Id);
        await _process.WaitForExitAsync(cancellationToken);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM: the agent kills what it started and exits 0.
            _ = SendTerm(_process.Id);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static int SendTerm(int pid)
    {
        using var kill = Process.Start("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        return kill.ExitCode;
    }
}
