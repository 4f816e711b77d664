using Cordon.Init.Processes;

namespace Cordon.Init.Repl;

/// <summary>A running REPL driver: fd 3 takes request lines, fd 4 gives completion lines.</summary>
internal sealed record ReplProcess(SpawnedProcess Process)
{
    public int RequestFd => Process.ExtraFds[0];

    public int CompletionFd => Process.ExtraFds[1];

    public bool HasExited => Process.Exited.IsCompleted;
}
