namespace Cordon.Init.Processes;

/// <summary>A started program: its pid (also its session and process group id), exit status, and the agent's pipe ends.</summary>
internal sealed record SpawnedProcess(int Pid, Task<int> Exited, int StdinFd, int StdoutFd, int StderrFd, IReadOnlyList<int> ExtraFds)
{
    /// <summary>Closes every pipe end the agent holds.</summary>
    public void CloseAll()
    {
        Pipe.Close(StdinFd);
        Pipe.Close(StdoutFd);
        Pipe.Close(StderrFd);
        foreach (var fd in ExtraFds)
        {
            Pipe.Close(fd);
        }
    }
}
