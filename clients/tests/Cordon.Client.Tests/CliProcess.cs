using System.Reflection;
using Cordon.TestSupport;

namespace Cordon.Client.Tests;

/// <summary>Runs the real <c>cordon</c> binary: the published AOT one when the build left it in
/// <c>CORDON_BIN_DIR</c>, else the one this test project's build produced.</summary>
internal sealed class CliProcess : IAsyncDisposable
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan OutputTimeout = TimeSpan.FromSeconds(30);
    private readonly ChildProcess _process;

    private CliProcess(ChildProcess process) => _process = process;

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

    public StreamWriter Stdin => _process.Stdin;

    public string Stdout => _process.Stdout;

    public string Stderr => _process.Stderr;

    public static CliProcess Start(IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        new(ChildProcess.Start(StartInfo(environment, args), stopGrace: TimeSpan.Zero));

    /// <summary>Runs to the end with <paramref name="stdin"/> (closed afterwards) and returns the exit code.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        IReadOnlyDictionary<string, string?> environment, string? stdin, CancellationToken cancellationToken, params string[] args)
    {
        var run = await ChildProcess.RunAsync(StartInfo(environment, args), ExitTimeout, cancellationToken, stdin);
        return (run.ExitCode, run.Stdout, run.Stderr);
    }

    public Task<int> WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(ExitTimeout, cancellationToken);

    /// <summary>Waits until stdout contains <paramref name="text"/>, while the process keeps running.</summary>
    public Task WaitForStdoutAsync(string text, CancellationToken cancellationToken) =>
        _process.WaitUntilAsync(p => p.Stdout.Contains(text, StringComparison.Ordinal), $"'{text}' on stdout", OutputTimeout, cancellationToken);

    /// <summary>Reads stdout line by line (for the MCP bridge): waits until line <paramref name="index"/> is complete.</summary>
    public async Task<string> WaitForLineAsync(int index, CancellationToken cancellationToken)
    {
        await _process.WaitUntilAsync(p => p.Stdout.Split('\n').Length > index + 1, $"line {index} on stdout", OutputTimeout, cancellationToken);
        return Stdout.Split('\n')[index];
    }

    /// <summary>Sends a signal (<c>INT</c>, <c>TERM</c>) as a terminal or a supervisor would.</summary>
    public void Signal(string name) => _process.Signal(name);

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static System.Diagnostics.ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string?> environment, string[] args)
    {
        // SIGINT at its default, as under a terminal: a test run started in the background of a script (CI) has it
        // ignored, every child inherits that, and .NET honours an inherited SIG_IGN by never seeing Ctrl-C.
        var info = ChildProcess.CreateStartInfo("env", ["--default-signal=INT", BinaryPath, .. args]);
        info.RedirectStandardInput = true;

        // Each test owns its environment: nothing of the developer's shell leaks in.
        foreach (var name in (string[])["CORDON_URL", "CORDON_TOKEN", "CORDON_DATA_DIR", "DOTNET_ENVIRONMENT", "ASPNETCORE_ENVIRONMENT"])
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return info;
    }
}
