using System.Runtime.InteropServices;
using System.Text;

namespace Cordon.Runner.Native;

/// <summary>
/// Runs a command with its stdio on <c>/dev/null</c> (or stderr to a file) via <c>posix_spawn</c>. The OCI
/// runtime's detached container inherits the stdio of <c>runc run</c>, so it must never get the runner's own
/// terminal or a pipe the runner stops reading.
/// </summary>
internal static unsafe class Spawner
{
    /// <summary>Runs <paramref name="argv"/> to completion; returns the exit code (128+n for signal n).</summary>
    public static Task<int> RunAsync(IReadOnlyList<string> argv, string? stderrPath, CancellationToken cancellationToken)
    {
        var pid = Spawn(argv, stderrPath);
        // waitpid blocks a pool thread only for the life of the runc front-end (milliseconds).
        return Task.Run(() => Wait(pid), CancellationToken.None).WaitAsync(cancellationToken);
    }

    private static int Spawn(IReadOnlyList<string> argv, string? stderrPath)
    {
        var actions = NativeMemory.AllocZeroed(256);
        var strings = new List<nint>();
        try
        {
            Libc.posix_spawn_file_actions_init(actions);
            Libc.posix_spawn_file_actions_addopen(actions, 0, "/dev/null", Libc.O_RDONLY, 0);
            Libc.posix_spawn_file_actions_addopen(actions, 1, "/dev/null", Libc.O_WRONLY, 0);
            Libc.posix_spawn_file_actions_addopen(actions, 2, stderrPath ?? "/dev/null", Libc.O_WRONLY | Libc.O_CREAT | Libc.O_TRUNC, 384);
            var args = stackalloc byte*[argv.Count + 1];
            for (var i = 0; i < argv.Count; i++)
            {
                var p = (byte*)Marshal.StringToCoTaskMemUTF8(argv[i]);
                strings.Add((nint)p);
                args[i] = p;
            }

            args[argv.Count] = null;
            var env = stackalloc byte*[2];
            var path = (byte*)Marshal.StringToCoTaskMemUTF8("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            strings.Add((nint)path);
            env[0] = path;
            env[1] = null;
            int pid;
            var rc = Libc.posix_spawn(&pid, args[0], actions, null, args, env);
            if (rc != 0)
            {
                throw new InvalidOperationException($"posix_spawn {argv[0]}: {Libc.Error(rc)}");
            }

            return pid;
        }
        finally
        {
            Libc.posix_spawn_file_actions_destroy(actions);
            NativeMemory.Free(actions);
            foreach (var s in strings)
            {
                Marshal.FreeCoTaskMem(s);
            }
        }
    }

    private static int Wait(int pid)
    {
        int status;
        while (Libc.waitpid(pid, &status, 0) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Libc.EINTR)
            {
                throw new InvalidOperationException($"waitpid {pid}: {Libc.Error(errno)}");
            }
        }

        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
    }

    public static string Describe(IReadOnlyList<string> argv) => new StringBuilder().AppendJoin(' ', argv).ToString();
}
