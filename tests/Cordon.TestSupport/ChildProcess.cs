using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Cordon.TestSupport;

/// <summary>
/// A process a test (or the bench) started, its stdout and stderr kept exactly as written, apart and interleaved,
/// for assertions and failure messages. Disposing stops it and only it: SIGTERM, so a runner can tear its
/// sandboxes down, then SIGKILL of it and its children if it has not exited within the grace period.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    /// <summary>How long a SIGTERM'd process gets before SIGKILL, unless <see cref="Start"/> is told otherwise.</summary>
    public static readonly TimeSpan DefaultStopGrace = TimeSpan.FromSeconds(15);

    // Orphans (a script's background children) can hold the pipes open after the process exits; output read so
    // far is what the test gets then, rather than a hang.
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(10);

    // Once the test is done with it, the output is only worth a short wait.
    private static readonly TimeSpan DisposeDrainLimit = TimeSpan.FromSeconds(1);

    private readonly Process _process;
    private readonly TimeSpan _stopGrace;
    private readonly Lock _gate = new();
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly StringBuilder _output = new();
    private readonly Task _pumps;

    private ChildProcess(Process process, TimeSpan stopGrace, Action<string>? onStderrLine)
    {
        _process = process;
        _stopGrace = stopGrace;
        _pumps = Task.WhenAll(PumpAsync(process.StandardOutput, _stdout, null), PumpAsync(process.StandardError, _stderr, onStderrLine));
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The process's stdin; only when the start info redirected it.</summary>
    public StreamWriter Stdin => _process.StandardInput;

    public string Stdout => Read(_stdout);

    public string Stderr => Read(_stderr);

    /// <summary>Stdout and stderr interleaved as they arrived.</summary>
    public string Output => Read(_output);

    /// <summary>
    /// Starts <paramref name="info"/> with stdout and stderr redirected. <paramref name="stopGrace"/> is how long
    /// SIGTERM may take on dispose (zero: SIGKILL at once); <paramref name="onStderrLine"/> sees each stderr line live.
    /// </summary>
    public static ChildProcess Start(ProcessStartInfo info, TimeSpan? stopGrace = null, Action<string>? onStderrLine = null)
    {
        ArgumentNullException.ThrowIfNull(info);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        info.StandardOutputEncoding ??= Encoding.UTF8;
        info.StandardErrorEncoding ??= Encoding.UTF8;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {info.FileName}");
        return new ChildProcess(process, stopGrace ?? DefaultStopGrace, onStderrLine);
    }

    /// <summary>A start info for <paramref name="fileName"/> with its arguments, environment and working directory.</summary>
    public static ProcessStartInfo CreateStartInfo(
        string fileName,
        IEnumerable<string> arguments,
        IEnumerable<KeyValuePair<string, string?>>? environment = null,
        string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? [])
        {
            info.Environment[key] = value;
        }

        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        return info;
    }

    /// <summary>Runs <paramref name="info"/> to its end (killed after <paramref name="timeout"/>), feeding it <paramref name="stdin"/>.</summary>
    public static async Task<ProcessResult> RunAsync(ProcessStartInfo info, TimeSpan timeout, CancellationToken cancellationToken, string? stdin = null)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (stdin is not null)
        {
            info.RedirectStandardInput = true;
        }

        await using var process = Start(info, stopGrace: TimeSpan.Zero);
        if (info.RedirectStandardInput)
        {
            if (stdin is not null)
            {
                await process.Stdin.WriteAsync(stdin.AsMemory(), cancellationToken);
            }

            process.Stdin.Close();
        }

        var exitCode = await process.WaitForExitAsync(timeout, cancellationToken);
        return new ProcessResult(exitCode, process.Stdout, process.Stderr, process.Output);
    }

    /// <summary>The last lines of the interleaved output, for assertion messages.</summary>
    public string Tail(int lines = 40) => string.Join('\n', Output.Split('\n').TakeLast(lines));

    /// <summary>Waits for the exit and the output; past <paramref name="timeout"/> it kills the process and throws.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            await _process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{_process.StartInfo.FileName} did not exit within {timeout}:\n{Tail()}");
        }

        await DrainAsync();
        return _process.ExitCode;
    }

    /// <summary>Polls until <paramref name="condition"/> holds while the process runs; throws once it exited without, or after <paramref name="timeout"/>.</summary>
    public async Task WaitUntilAsync(Func<ChildProcess, bool> condition, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!condition(this))
        {
            if (_process.HasExited && _pumps.IsCompleted && !condition(this))
            {
                throw new InvalidOperationException($"{_process.StartInfo.FileName} exited ({_process.ExitCode}) before {what}:\n{Output}");
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"{_process.StartInfo.FileName}: no {what} within {timeout}:\n{Output}");
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>Sends a signal (<c>INT</c>, <c>TERM</c>, …) as a terminal or a supervisor would.</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", ["-" + name, _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>SIGKILL now: with its children, or (a crash, leaving them behind) the process alone.</summary>
    public void Kill(bool entireProcessTree = true)
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree);
        }
    }

    /// <summary>SIGTERM, the grace period, then SIGKILL of the tree; returns once it exited.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        if (_stopGrace > TimeSpan.Zero)
        {
            Signal("TERM");
            using var grace = new CancellationTokenSource(_stopGrace);
            try
            {
                await _process.WaitForExitAsync(grace.Token);
                return;
            }
            catch (OperationCanceledException)
            {
                // Fall through to SIGKILL.
            }
        }

        Kill();
        await _process.WaitForExitAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await DrainAsync(DisposeDrainLimit);
        _process.Dispose();
    }

    private async Task DrainAsync(TimeSpan? limit = null)
    {
        try
        {
            await _pumps.WaitAsync(limit ?? DrainLimit);
        }
        catch (TimeoutException)
        {
            // See DrainLimit.
        }
    }

    private string Read(StringBuilder buffer)
    {
        lock (_gate)
        {
            return buffer.ToString();
        }
    }

    private async Task PumpAsync(StreamReader reader, StringBuilder own, Action<string>? onLine)
    {
        var buffer = new char[4096];
        var line = new StringBuilder();
        int read;
        while ((read = await ReadAsync(reader, buffer)) > 0)
        {
            lock (_gate)
            {
                own.Append(buffer, 0, read);
                _output.Append(buffer, 0, read);
            }

            for (var i = 0; onLine is not null && i < read; i++)
            {
                if (buffer[i] == '\n')
                {
                    onLine(line.ToString().TrimEnd('\r'));
                    line.Clear();
                }
                else
                {
                    line.Append(buffer[i]);
                }
            }
        }

        if (onLine is not null && line.Length > 0)
        {
            onLine(line.ToString());
        }
    }

    private static async Task<int> ReadAsync(StreamReader reader, char[] buffer)
    {
        try
        {
            return await reader.ReadAsync(buffer.AsMemory(), CancellationToken.None);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or IOException)
        {
            // Disposed while orphans held the pipe open: the output ends here.
            return 0;
        }
    }
}
