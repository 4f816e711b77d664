using Cordon.Logging;
using Cordon.Runner.Cli;
using Cordon.Runner.Configuration;
using Cordon.Runner.Hosting;

// cordon-runner: `serve` (default) runs the gRPC data plane; `exec` runs one sandbox locally and prints the result.
FileModeMask.Set();
try
{
    return args is ["exec", .. var rest]
        ? await ExecCommand.RunAsync(rest, Console.Error)
        : await RunnerServer.RunAsync(args is ["serve", .. var serveArgs] ? serveArgs : args, Console.Error);
}
catch (Exception e) when (RunnerStartupException.Find(e) is { } refusal)
{
    // Unsafe configuration: the operator gets the reason and a non-zero exit, not a stack trace.
    await Console.Error.WriteLineAsync($"cordon-runner: refusing to start: {refusal.Message}");
    return RunnerStartupException.ExitCode;
}
catch (LogSettingsException refusal)
{
    await Console.Error.WriteLineAsync($"cordon-runner: refusing to start: {refusal.Message}");
    return RunnerStartupException.ExitCode;
}
