using System.Runtime.InteropServices;
using System.Text;
using Cordon.Contracts.Runner.Agent;
using Cordon.Init.Native;

namespace Cordon.Init.Processes;

/// <summary>
/// Starts programs with <c>posix_spawn</c>: a new session (so its own process group), signal mask and dispositions
/// reset, stdio (plus fds 3/4 for REPL drivers) on fresh pipes, every other fd closed, environment from scratch.
/// </summary>
internal sealed unsafe class ProcessSpawner(ChildReaper reaper, LiveSessions live, string workspace)
{
    public SpawnedProcess Start(SpawnOptions options)
    {
        if (options.Argv is not { Count: > 0 } || options.Argv.Any(a => a is null || a.Contains('\0', StringComparison.Ordinal)))
        {
            throw new SpawnException(AgentErrorCodes.BadRequest, "Argv must be non-empty and free of NUL characters.");
        }

        var env = ChildEnvironment.Build(workspace, options.Env);
        var program = ChildEnvironment.ResolveProgram(options.Argv[0], env);
        var cwd = ChildEnvironment.ResolveCwd(workspace, options.Cwd);

        // Child ends first in each pair: [childFd, parentFd, targetFd].
        var pipes = new List<(int Child, int Parent, int Target)>();
        try
        {
            pipes.Add(MakePipe(childReads: true, target: 0));
            pipes.Add(MakePipe(childReads: false, target: 1));
            pipes.Add(MakePipe(childReads: false, target: 2));
            if (options.ReplFds)
            {
                pipes.Add(MakePipe(childReads: true, target: 3));
                pipes.Add(MakePipe(childReads: false, target: 4));
            }

            int pid;
            Task<int> exit;
            lock (live.Gate)
            {
                // Registered before any straggler sweep can see it, so a concurrent request never kills it.
                (pid, exit) = reaper.Spawn(() => PosixSpawn(program, options.Argv, env, cwd, pipes));
                if (options.ReplFds)
                {
                    live.AddDriver(pid);
                }
                else
                {
                    live.AddSession(pid);
                }
            }

            foreach (var pipe in pipes)
            {
                Libc.close(pipe.Child);
            }

            var parents = pipes.Select(p => new FdPipe(p.Parent)).ToArray();
            return new SpawnedProcess(pid, exit, parents[0], parents[1], parents[2],
                options.ReplFds ? parents[3] : null, options.ReplFds ? parents[4] : null);
        }
        catch
        {
            foreach (var pipe in pipes)
            {
                Libc.close(pipe.Child);
                Libc.close(pipe.Parent);
            }

            throw;
        }
    }

    private static (int Child, int Parent, int Target) MakePipe(bool childReads, int target)
    {
        var fds = stackalloc int[2];
        if (Libc.pipe2(fds, Libc.OCloexec) != 0)
        {
            throw new SpawnException(AgentErrorCodes.SpawnFailed, $"pipe2 failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        var (child, parent) = childReads ? (fds[0], fds[1]) : (fds[1], fds[0]);

        // Lift the child's end above the targets so no dup2 clobbers another pipe or becomes a no-op.
        var lifted = Libc.fcntl(child, Libc.FDupfdCloexec, 10);
        Libc.close(child);
        if (lifted < 0)
        {
            Libc.close(parent);
            throw new SpawnException(AgentErrorCodes.SpawnFailed, "fcntl(F_DUPFD_CLOEXEC) failed.");
        }

        return (lifted, parent, target);
    }

    private static int PosixSpawn(string program, IReadOnlyList<string> argv, Dictionary<string, string> env, string cwd, List<(int Child, int Parent, int Target)> pipes)
    {
        var actions = NativeMemory.AllocZeroed(Spawn.OpaqueBytes);
        var attr = NativeMemory.AllocZeroed(Spawn.OpaqueBytes);
        var sigset = NativeMemory.AllocZeroed(Spawn.SigsetBytes);
        var strings = new List<nint>();
        try
        {
            Spawn.FileActionsInit(actions);
            foreach (var pipe in pipes)
            {
                Spawn.FileActionsAddDup2(actions, pipe.Child, pipe.Target);
            }

            Spawn.FileActionsAddCloseFrom(actions, pipes.Count);
            Spawn.FileActionsAddChdir(actions, Utf8(cwd, strings));

            Spawn.AttrInit(attr);
            Spawn.AttrSetFlags(attr, Spawn.SetSid | Spawn.SetSigMask | Spawn.SetSigDef);
            Spawn.SigEmptySet(sigset);
            Spawn.AttrSetSigMask(attr, sigset);
            Spawn.SigFillSet(sigset);
            Spawn.AttrSetSigDefault(attr, sigset);

            var argvArray = NullTerminated(argv, strings);
            var envArray = NullTerminated(env.Select(e => $"{e.Key}={e.Value}").ToList(), strings);
            int pid;
            var error = Spawn.PosixSpawn(&pid, Utf8(program, strings), actions, attr, argvArray, envArray);
            if (error != 0)
            {
                throw new SpawnException(AgentErrorCodes.SpawnFailed,
                    $"Cannot start '{program}' in '{cwd}': {Marshal.GetPInvokeErrorMessage(error)}.");
            }

            return pid;
        }
        finally
        {
            Spawn.FileActionsDestroy(actions);
            Spawn.AttrDestroy(attr);
            NativeMemory.Free(actions);
            NativeMemory.Free(attr);
            NativeMemory.Free(sigset);
            foreach (var pointer in strings)
            {
                NativeMemory.Free((void*)pointer);
            }
        }
    }

    private static byte** NullTerminated(IReadOnlyList<string> values, List<nint> strings)
    {
        var array = (byte**)NativeMemory.AllocZeroed((nuint)(values.Count + 1), (nuint)sizeof(byte*));
        strings.Add((nint)array);
        for (var i = 0; i < values.Count; i++)
        {
            array[i] = Utf8(values[i], strings);
        }

        return array;
    }

    private static byte* Utf8(string value, List<nint> strings)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        var buffer = (byte*)NativeMemory.AllocZeroed((nuint)length + 1);
        strings.Add((nint)buffer);
        Encoding.UTF8.GetBytes(value, new Span<byte>(buffer, length));
        return buffer;
    }
}
