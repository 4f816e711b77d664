using System.Runtime.InteropServices;
using System.Text;
using Cordon.Init.Native;

namespace Cordon.Init.Processes;

/// <summary>
/// Starts programs with posix_spawn: a new session (so its own process group), signal mask and dispositions
/// reset, stdin/stdout/stderr on pipes, every other agent fd closed, a fixed cwd and an environment built from
/// scratch. No managed code runs between fork and exec: what the child must do as itself — drop to the job's
/// ids and capabilities, then chdir — is the spawn helper's (<see cref="JobIdentity"/>).
/// </summary>
internal sealed unsafe class ProcessSpawner(ChildReaper reaper, JobIdentity job, string workspace)
{
    private static readonly TimeSpan HelperReportTimeout = TimeSpan.FromSeconds(5);

    private const short PosixSpawnSetSigDef = 0x04;
    private const short PosixSpawnSetSigMask = 0x08;
    private const short PosixSpawnSetSid = 0x80;
    private const string DefaultPath = "/usr/local/bin:/usr/bin:/bin";

    /// <summary>The environment every program starts from; the request's variables go on top.</summary>
    private Dictionary<string, string> BaseEnvironment() => new(StringComparer.Ordinal)
    {
        ["PATH"] = DefaultPath,
        ["HOME"] = workspace,
        ["LANG"] = "C.UTF-8",
        ["TMPDIR"] = "/tmp",
    };

    /// <summary>
    /// Starts <paramref name="argv"/>. <paramref name="extraChildFds"/> is the number of extra pipes: for each, the
    /// child gets fd 3, 4… — even indexes are agent→child (child reads), odd ones child→agent (child writes).
    /// </summary>
    public SpawnedProcess Spawn(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string>? env, string cwd, int extraChildFds = 0)
    {
        if (argv.Count == 0 || argv.Any(a => a.Contains('\0', StringComparison.Ordinal)))
        {
            throw new SpawnException("argv must be non-empty and free of NUL characters");
        }

        var environment = BaseEnvironment();
        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var executable = Resolve(argv[0], environment["PATH"]);
        var stdin = Pipe.Create();
        var stdout = Pipe.Create();
        var stderr = Pipe.Create();
        var extras = Enumerable.Range(0, extraChildFds).Select(_ => Pipe.Create()).ToArray();
        var childEnds = new List<int> { stdin.ReadFd, stdout.WriteFd, stderr.WriteFd };
        for (var i = 0; i < extras.Length; i++)
        {
            childEnds.Add(i % 2 == 0 ? extras[i].ReadFd : extras[i].WriteFd);
        }

        // The helper's report: errno if it could not drop privileges or exec, end of file once it has exec'd.
        var status = Pipe.Create();
        var statusFd = childEnds.Count;
        var helperArgv = new List<string>
        {
            job.SpawnHelper, Invariant(statusFd), Invariant(job.Uid), Invariant(job.Gid), cwd, executable,
        };
        helperArgv.AddRange(argv);

        try
        {
            var (pid, exited) = reaper.Track(() => OomScore.AsVictim(() => SpawnNative(job.SpawnHelper, helperArgv, environment, [.. childEnds, status.WriteFd])));
            Pipe.Close(status.WriteFd);
            status = status with { WriteFd = -1 };
            if (HelperFailure(status.ReadFd) is { } errno)
            {
                throw new SpawnException($"{argv[0]}: {new System.ComponentModel.Win32Exception(errno).Message}");
            }

            Pipe.SetNonBlocking(stdout.ReadFd);
            Pipe.SetNonBlocking(stderr.ReadFd);
            var agentExtras = new int[extras.Length];
            for (var i = 0; i < extras.Length; i++)
            {
                agentExtras[i] = i % 2 == 0 ? extras[i].WriteFd : extras[i].ReadFd;
            }

            return new SpawnedProcess(pid, exited, stdin.WriteFd, stdout.ReadFd, stderr.ReadFd, agentExtras);
        }
        catch
        {
            Pipe.Close(stdin.WriteFd);
            Pipe.Close(stdout.ReadFd);
            Pipe.Close(stderr.ReadFd);
            for (var i = 0; i < extras.Length; i++)
            {
                Pipe.Close(i % 2 == 0 ? extras[i].WriteFd : extras[i].ReadFd);
            }

            throw;
        }
        finally
        {
            foreach (var fd in childEnds)
            {
                Pipe.Close(fd);
            }

            Pipe.Close(status.ReadFd);
            Pipe.Close(status.WriteFd);
        }
    }

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The errno the helper reported, or null once it exec'd (or stopped answering in time).</summary>
    private static int? HelperFailure(int fd)
    {
        var poll = new Libc.PollFd { Fd = fd, Events = Libc.POLLIN };
        if (Libc.poll(&poll, 1, (int)HelperReportTimeout.TotalMilliseconds) <= 0)
        {
            return null; // a job process may stop the helper once it is the job's; the wall clock still applies
        }

        var errno = 0;
        return Libc.read(fd, (byte*)&errno, sizeof(int)) == sizeof(int) ? errno : null;
    }

    private static string Resolve(string program, string path)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return program;
        }

        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new SpawnException($"{program}: command not found");
    }

    private static int SpawnNative(string executable, IReadOnlyList<string> argv, Dictionary<string, string> environment, List<int> childEnds)
    {
        var allocations = new List<nint>();
        var fileActions = NativeMemory.AllocZeroed(256);
        var attributes = NativeMemory.AllocZeroed(512);
        var mask = NativeMemory.AllocZeroed(128);
        var defaults = NativeMemory.AllocZeroed(128);
        try
        {
            Libc.posix_spawn_file_actions_init(fileActions);
            for (var target = 0; target < childEnds.Count; target++)
            {
                Libc.posix_spawn_file_actions_adddup2(fileActions, childEnds[target], target);
            }

            Libc.posix_spawn_file_actions_addclosefrom_np(fileActions, childEnds.Count);

            Libc.posix_spawnattr_init(attributes);
            Libc.sigemptyset(mask);
            Libc.sigfillset(defaults);
            Libc.posix_spawnattr_setsigmask(attributes, mask);
            Libc.posix_spawnattr_setsigdefault(attributes, defaults);
            Libc.posix_spawnattr_setflags(attributes, PosixSpawnSetSid | PosixSpawnSetSigMask | PosixSpawnSetSigDef);

            var argvArray = StringArray(argv, allocations);
            var envArray = StringArray([.. environment.Select(kv => $"{kv.Key}={kv.Value}")], allocations);
            int pid;
            var rc = Libc.posix_spawn(&pid, Utf8(executable, allocations), fileActions, attributes, argvArray, envArray);
            if (rc != 0)
            {
                throw new SpawnException($"{argv[0]}: {new System.ComponentModel.Win32Exception(rc).Message}");
            }

            return pid;
        }
        finally
        {
            Libc.posix_spawn_file_actions_destroy(fileActions);
            Libc.posix_spawnattr_destroy(attributes);
            NativeMemory.Free(fileActions);
            NativeMemory.Free(attributes);
            NativeMemory.Free(mask);
            NativeMemory.Free(defaults);
            foreach (var allocation in allocations)
            {
                NativeMemory.Free((void*)allocation);
            }
        }
    }

    private static byte* Utf8(string value, List<nint> allocations)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        var buffer = (byte*)NativeMemory.Alloc((nuint)length + 1);
        allocations.Add((nint)buffer);
        Encoding.UTF8.GetBytes(value, new Span<byte>(buffer, length));
        buffer[length] = 0;
        return buffer;
    }

    private static byte** StringArray(IReadOnlyList<string> values, List<nint> allocations)
    {
        var array = (byte**)NativeMemory.Alloc((nuint)(values.Count + 1), (nuint)sizeof(byte*));
        allocations.Add((nint)array);
        for (var i = 0; i < values.Count; i++)
        {
            array[i] = Utf8(values[i], allocations);
        }

        array[values.Count] = null;
        return array;
    }
}
