using Cordon.Runner.Cli;
using Cordon.Runner.Hosting;

// cordon-runner: `serve` (default) runs the gRPC data plane; `exec` runs one sandbox locally and prints the result.
return args is ["exec", .. var rest]
    ? await ExecCommand.RunAsync(rest, Console.Error)
    : await RunnerServer.RunAsync(args is ["serve", .. var serveArgs] ? serveArgs : args, Console.Error);
