using Cordon.Bench;

// Prints, from one run, median and p95 of the bare baselines and of Cordon, with the ratios between them.
var options = BenchOptions.Parse(args);
await using var packages = Cordon.TestSupport.Packages.TestPackageRegistry.WithTestPackages();
await using var runner = await RunnerProcess.StartAsync(options, packages, CancellationToken.None);
var scenarios = new Scenarios(options, runner);

var bare = await Measurement.RunAsync("bare python3 -c 'print(1)'", options, scenarios.BareProcessAsync);
var runc = await Measurement.RunAsync("bare runc run (cold)", options, scenarios.BareRuncRunAsync);
var cold = await Measurement.RunAsync("cordon cold (create+exec+destroy)", options, scenarios.CordonColdAsync);
var warm = await Measurement.RunAsync("cordon exec in existing sandbox", options, scenarios.CordonExecAsync);
var installing = await Measurement.RunAsync("cordon job, 2 python packages installed", options, scenarios.CordonInstallingAsync);
var cached = await Measurement.RunAsync("cordon job, 2 python packages from the cache", options, scenarios.CordonCachedDependenciesAsync);

ReportTable.Print([bare, runc, cold, warm, installing, cached], [
    new Ratio("exec / bare process", warm, bare, Target: 1.5),
    new Ratio("cold / bare runc run", cold, runc, Target: 1.3),
    new Ratio("cold / bare process", cold, bare, Target: null),
    new Ratio("dependencies cached / cold without", cached, cold, Target: null),
    new Ratio("dependencies installed / cached", installing, cached, Target: null),
]);
return 0;
