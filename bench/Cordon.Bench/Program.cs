using Cordon.Bench;

// Prints, from one run, median and p95 of the bare baselines and of Cordon, with the ratios between them.
var options = BenchOptions.Parse(args);
await using var runner = await RunnerProcess.StartAsync(options, CancellationToken.None);
var scenarios = new Scenarios(options, runner);

var bare = await Measurement.RunAsync("bare python3 -c 'print(1)'", options, scenarios.BareProcessAsync);
var runc = await Measurement.RunAsync("bare runc run (cold)", options, scenarios.BareRuncRunAsync);
var cold = await Measurement.RunAsync("cordon cold (create+exec+destroy)", options, scenarios.CordonColdAsync);
var warm = await Measurement.RunAsync("cordon exec in existing sandbox", options, scenarios.CordonExecAsync);

ReportTable.Print([bare, runc, cold, warm], [
    new Ratio("exec / bare process", warm, bare, Target: 1.5),
    new Ratio("cold / bare runc run", cold, runc, Target: 1.3),
    new Ratio("cold / bare process", cold, bare, Target: null),
]);
return 0;
