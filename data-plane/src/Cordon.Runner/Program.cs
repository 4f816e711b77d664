using Cordon.Runner.Cli;

return await RunnerCli.RunAsync(args);
