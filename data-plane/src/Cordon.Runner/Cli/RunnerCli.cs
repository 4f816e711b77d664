namespace Cordon.Runner.Cli;

/// <summary>Dispatches the verbs: <c>serve</c> (default) and <c>exec</c>.</summary>
internal static class RunnerCli
{
    public static Task<int> RunAsync(string[] args) => args switch
    {
        ["exec", .. var rest] => ExecCommand.RunAsync(rest),
        ["serve", .. var rest] => ServeCommand.RunAsync(rest),
        ["--help" or "-h" or "help", ..] => Task.FromResult(Help()),
        _ => ServeCommand.RunAsync(args),
    };

    private static int Help()
    {
        Console.WriteLine("""
            cordon-runner [serve] [--urls URL] [--Cordon:Runner:Key=Value …]
                Serves cordon.runner.v1 (gRPC, h2c) on 127.0.0.1:7070, plus /healthz and /readyz.
            cordon-runner exec --language LANG (--code TEXT | --file PATH …) [--stdin TEXT] [--timeout-ms N] [--memory-mb N]
                Runs one sandbox locally and prints the result as one JSON object (the Job fields of the API).
            """);
        return ExitCodes.Ok;
    }
}
