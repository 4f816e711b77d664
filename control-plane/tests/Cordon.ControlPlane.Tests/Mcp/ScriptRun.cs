using System.Diagnostics;
using System.Text;

namespace Cordon.ControlPlane.Tests.Mcp;

/// <summary>A finished run of one of the repository's scripts: its exit code and its interleaved output.</summary>
internal sealed record ScriptRun(int ExitCode, string Output)
{
    /// <summary>Runs <c>scripts/&lt;name&gt;</c> from the repository root and waits for it (at most 10 minutes).</summary>
    public static async Task<ScriptRun> RunAsync(string script, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(Path.Combine(RepoPaths.Root, "scripts", script))
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        DataReceivedEventHandler collect = (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            }
        };
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += collect;
        process.ErrorDataReceived += collect;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        // The no-argument wait drains the redirected streams after exit.
        await process.WaitForExitAsync(CancellationToken.None);
        lock (output)
        {
            return new ScriptRun(process.ExitCode, output.ToString());
        }
    }
}
