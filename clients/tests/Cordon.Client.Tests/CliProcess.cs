using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Cordon.Client.Tests;

/// <summary>Runs the real <c>cordon</c> binary: the published AOT one when the build left it in
/// <c>CORDON_BIN_DIR</c>, else the one this test project's build produced.</summary>
internal sealed class CliProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;

    private CliProcess(Process process)
    {
        _process = process;
        _stdoutPump = PumpAsync(process.StandardOutput, _stdout);
        _stderrPump = PumpAsync(process.StandardError, _stderr);
    }

    public static string BinaryPath
    {
        get
        {
            if (Environment.GetEnvironmentVariable("CORDON_CLI_PATH") is { Length: > 0 } explicitPath)
            {
                return explicitPath;
            }

            if (Environment.GetEnvironmentVariable("CORDON_BIN_DIR") is { Length: > 0 } binDir && File.Exists(Path.Combine(binDir, "cordon")))
            {
                return Path.Combine(binDir, "cordon");
            }

            return typeof(CliProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "CordonCliBuildPath").Value!;
        }
    }

    public StreamWriter Stdin => _process.StandardInput;

    public string Stdout
    {
        get { lock (_stdout) { return _stdout.ToString(); } }
    }

    public string Stderr
    {
        get { lock (_stderr) { return _stderr.ToString(); } }
    }

    public static CliProcess Start(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var info = new ProcessStartInfo(BinaryPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Each test owns its environment: nothing of the developer's shell leaks in.
        foreach (var name in (string[])["CORDON_URL", "CORDON_TOKEN", "CORDON_DATA_DIR", "DOTNET_ENVIRONMENT", "ASPNETCORE_ENVIRONMENT"])
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return new CliProcess(Process.Start(info) ?? throw new InvalidOperationException("cordon did not start"));
    }

    /// <summary>Runs to the end with <paramref name="stdin"/> (closed afterwards) and returns the exit code.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        IReadOnlyDictionary<string, string?> environment, string? stdin, CancellationToken cancellationToken, params string[] args)
    {
        await using var process = Start(environment, args);
        if (stdin is not null)
        {
            await process.Stdin.WriteAsync(stdin.AsMemory(), cancellationToken);
        }

        process.Stdin.Close();
        var exitCode = await process.WaitForExitAsync(cancellationToken);
        return (exitCode, process.Stdout, process.Stderr);
    }

    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
        await Task.WhenAll(_stdoutPump, _stderrPump);
        return _process.ExitCode;
    }

    /// <summary>Waits until stdout contains <paramref name="text"/>, while the process keeps running.</summary>
    public async Task WaitForStdoutAsync(string text, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (!Stdout.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited && _stdoutPump.IsCompleted && !Stdout.Contains(text, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"cordon exited ({_process.ExitCode}) without writing '{text}'. stdout: {Stdout} stderr: {Stderr}");
            }

            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>Reads stdout line by line (for the MCP bridge): waits until line <paramref name="index"/> is complete.</summary>
    public async Task<string> WaitForLineAsync(int index, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            var lines = Stdout.Split('\n');
            if (lines.Length > index + 1)
            {
                return lines[index];
            }

            if (_process.HasExited && _stdoutPump.IsCompleted)
            {
                throw new InvalidOperationException($"cordon exited ({_process.ExitCode}) before line {index}. stdout: {Stdout} stderr: {Stderr}");
            }

            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>Sends a signal (<c>INT</c>, <c>TERM</c>) as a terminal or a supervisor would.</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", ["-" + name, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
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

    private static async Task PumpAsync(StreamReader reader, StringBuilder into)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (into)
            {
                into.Append(buffer, 0, read);
            }
        }
    }
}
