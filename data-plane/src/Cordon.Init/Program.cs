using Cordon.Init;
using Cordon.Init.Egress;
using Cordon.Init.Files;
using Cordon.Init.Native;
using Cordon.Init.Processes;
using Cordon.Init.Repl;
using Cordon.Init.Server;

// cordon-init: PID 1 of every sandbox. Serves the agent protocol over the control socket the runner handed it.
var options = AgentOptions.Parse(args);
if (options is null)
{
    await Console.Error.WriteLineAsync(AgentOptions.Usage);
    return 2;
}

OomScore.Open();
// Being non-dumpable keeps /proc/1/{fd,mem,environ} closed to everything in the sandbox but root-with-ptrace.
Libc.prctl(Libc.PR_SET_DUMPABLE, 0, 0, 0, 0);
// Outside a sandbox (tests) orphans must still come back to the agent so nothing a job starts escapes it.
Libc.prctl(Libc.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
AgentSignals.CatchNone();
LowFds.Reserve();

BlockingWorkers.Start();
ThreadPoolPin.Pin();
// After the pin: the forwarder lives on the pinned pool. Null without egress, or when the port could not be had.
using var egress = options.EgressSocket is { } egressSocket ? EgressForwarder.Start(egressSocket, options.EgressPort) : null;
var reaper = new ChildReaper();
reaper.Start();
var killer = new StragglerKiller();
var identity = new JobIdentity(options.JobUid, options.JobGid, options.SpawnHelper);
var spawner = new ProcessSpawner(reaper, identity, options.Workspace);
using var files = new WorkspaceFiles(options.Workspace);
var dispatcher = new RequestDispatcher(
    new SpawnRunner(spawner, killer, options.Workspace), new ReplHost(spawner, killer, options.Workspace), files, new SecretFiles(SecretFiles.DefaultRoot), identity, DateTimeOffset.UtcNow);

try
{
    // Returns when the runner closes the control channel: nobody can reach this sandbox any more.
    await new AgentServer(new ControlChannel(options.ControlFd), dispatcher, options.JobUid).RunAsync();
}
catch (IOException e)
{
    await Console.Error.WriteLineAsync($"cordon-init: {e.Message}");
    killer.KillStragglers();
    return 1;
}

killer.KillStragglers();
return 0;
