using System.Runtime.InteropServices;
using Cordon.Init;
using Cordon.Init.Files;
using Cordon.Init.Native;
using Cordon.Init.Processes;
using Cordon.Init.Repl;
using Cordon.Init.Server;

// cordon-init: PID 1 of every sandbox. Serves the agent protocol on a Unix socket.
var options = AgentOptions.Parse(args);
if (options is null)
{
    await Console.Error.WriteLineAsync("usage: cordon-init [--socket PATH] [--workspace DIR]");
    return 2;
}

OomScore.Open();
// The jobs run as the same uid: being non-dumpable keeps them from ptracing or reading /proc/1/{mem,environ}.
Libc.prctl(Libc.PR_SET_DUMPABLE, 0, 0, 0, 0);
// Outside a sandbox (tests) orphans must still come back to the agent so nothing a job starts escapes it.
Libc.prctl(Libc.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
LowFds.Reserve();

BlockingWorkers.Start();
ThreadPoolPin.Pin();
var reaper = new ChildReaper();
reaper.Start();
var killer = new StragglerKiller();
var spawner = new ProcessSpawner(reaper, options.Workspace);
using var files = new WorkspaceFiles(options.Workspace);
var dispatcher = new RequestDispatcher(
    new SpawnRunner(spawner, killer, options.Workspace), new ReplHost(spawner, killer, options.Workspace), files, DateTimeOffset.UtcNow);

using var stopping = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stopping.Cancel();
});

try
{
    await new AgentServer(options.SocketPath, dispatcher).RunAsync(stopping.Token);
}
catch (OperationCanceledException)
{
}

killer.KillStragglers();
return 0;
