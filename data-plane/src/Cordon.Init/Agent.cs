using System.Runtime.InteropServices;
using Cordon.Init.Files;
using Cordon.Init.Handlers;
using Cordon.Init.Native;
using Cordon.Init.Processes;
using Cordon.Init.Repl;
using Cordon.Init.Server;

namespace Cordon.Init;

/// <summary>Wires the agent together and runs it until SIGTERM.</summary>
internal static class Agent
{
    public static async Task<int> RunAsync(AgentOptions options)
    {
        // Jobs run as the same uid: non-dumpable keeps them from ptracing or reading the agent's /proc files.
        Libc.prctl(Libc.PrSetDumpable, 0, 0, 0, 0);
        // As PID 1 every orphan comes to the agent anyway; on a host (tests) this makes it so.
        Libc.prctl(Libc.PrSetChildSubreaper, 1, 0, 0, 0);

        AppDomain.CurrentDomain.UnhandledException += (_, e) => Console.Error.WriteLine($"cordon-init: unhandled: {e.ExceptionObject}");
        TaskScheduler.UnobservedTaskException += (_, e) => e.SetObserved();

        using var shutdown = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

        var time = TimeProvider.System;
        var childReaper = new ChildReaper();
        childReaper.Start();
        var live = new LiveSessions();
        var spawner = new ProcessSpawner(childReaper, live, options.Workspace);
        var reaper = new ProcessReaper(live);
        using var files = new WorkspaceFiles(options.Workspace);
        var dispatcher = new RequestDispatcher(
            new HealthHandler(time),
            new SpawnHandler(spawner, reaper, live, time),
            new ReplHandler(new ReplHost(spawner), reaper, live, time),
            new FileHandler(files));

        try
        {
            await new AgentServer(options, dispatcher).RunAsync(shutdown.Token);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
        }

        ProcessReaper.KillAllDescendants();
        File.Delete(options.SocketPath);
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            shutdown.Cancel();
        }
    }
}
