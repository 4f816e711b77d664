using System.Collections;
using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text;

namespace Cordon.Runner.Native;

/// <summary>
/// Starts a program with exactly the stdin, stdout and stderr given and no other fd of the runner (posix_spawn:
/// dup2 onto 0–2, close everything from 3). <see cref="System.Diagnostics.Process"/> cannot place a socket on a
/// child's stdin, and an fd made inheritable for it would leak into every other child started meanwhile.
/// </summary>
internal static unsafe partial class StdioSpawn
{
    private const int EINTR = 4;

    /// <summary>Runs <paramref name="argv"/> to its end and returns its exit code (128+N for signal N).</summary>
    public static Task<int> RunAsync(IReadOnlyList<string> argv, SafeHandle stdin, SafeHandle output, CancellationToken cancellationToken) =>
        WaitAsync(Start(argv, stdin, output)).WaitAsync(cancellationToken);

    /// <summary>
    /// Waits for a child from <see cref="Start"/> on a thread of its own (runc/runsc <c>run --detach</c> returns as
    /// soon as the container runs, so the wait is short); never cancelled, so the child is always reaped.
    /// </summary>
    public static Task<int> WaitAsync(int pid) =>
        Task.Factory.StartNew(() => Wait(pid), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Starts <paramref name="argv"/> (looked up on PATH) and returns its pid.</summary>
    public static int Start(IReadOnlyList<string> argv, SafeHandle stdin, SafeHandle output)
    {
        var allocations = new List<nint>();
        var fileActions = NativeMemory.AllocZeroed(256);
        bool addedIn = false, addedOut = false;
        try
        {
            stdin.DangerousAddRef(ref addedIn);
            output.DangerousAddRef(ref addedOut);
            posix_spawn_file_actions_init(fileActions);
            posix_spawn_file_actions_adddup2(fileActions, (int)stdin.DangerousGetHandle(), 0);
            posix_spawn_file_actions_adddup2(fileActions, (int)output.DangerousGetHandle(), 1);
            posix_spawn_file_actions_adddup2(fileActions, (int)output.DangerousGetHandle(), 2);
            posix_spawn_file_actions_addclosefrom_np(fileActions, 3);
            var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().Select(e => $"{e.Key}={e.Value}").ToList();
            int pid;
            var rc = posix_spawnp(&pid, Utf8(argv[0], allocations), fileActions, null, StringArray(argv, allocations), StringArray(environment, allocations));
            return rc == 0 ? pid : throw new Win32Exception(rc, $"cannot start {argv[0]}");
        }
        finally
        {
            posix_spawn_file_actions_destroy(fileActions);
            NativeMemory.Free(fileActions);
            foreach (var allocation in allocations)
            {
                NativeMemory.Free((void*)allocation);
            }

            if (addedOut)
            {
                output.DangerousRelease();
            }

            if (addedIn)
            {
                stdin.DangerousRelease();
            }
        }
    }

    private static int Wait(int pid)
    {
        int status;
        while (waitpid(pid, &status, 0) < 0)
        {
            if (Marshal.GetLastPInvokeError() != EINTR)
            {
                throw new Win32Exception(Marshal.GetLastPInvokeError(), $"waitpid {pid}");
            }
        }

        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
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

    [LibraryImport("libc", SetLastError = true)]
    private static partial int posix_spawnp(int* pid, byte* file, void* fileActions, void* attributes, byte** argv, byte** envp);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_init(void* fileActions);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_destroy(void* fileActions);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_adddup2(void* fileActions, int fd, int newFd);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_addclosefrom_np(void* fileActions, int from);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int waitpid(int pid, int* status, int options);
}
