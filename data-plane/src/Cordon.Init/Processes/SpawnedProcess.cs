namespace Cordon.Init.Processes;

/// <summary>A started child: its pid (also its process group and session id), exit status and pipe ends.</summary>
internal sealed class SpawnedProcess(int pid, Task<int> exit, FdPipe stdin, FdPipe stdout, FdPipe stderr, FdPipe? requests, FdPipe? completions) : IDisposable
{
    public int Pid { get; } = pid;

    /// <summary>The raw <c>waitpid</c> status, once the reaper has collected the child.</summary>
    public Task<int> Exit { get; } = exit;

    public FdPipe Stdin { get; } = stdin;
    public FdPipe Stdout { get; } = stdout;
    public FdPipe Stderr { get; } = stderr;
    public FdPipe? Requests { get; } = requests;
    public FdPipe? Completions { get; } = completions;

    public void Dispose()
    {
        Stdin.Dispose();
        Stdout.Dispose();
        Stderr.Dispose();
        Requests?.Dispose();
        Completions?.Dispose();
    }
}
