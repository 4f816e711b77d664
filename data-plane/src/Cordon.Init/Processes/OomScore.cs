namespace Cordon.Init.Processes;

/// <summary>
/// The agent runs with oom_score_adj 0, every program it starts with 1000: when a job exhausts the sandbox's
/// memory, the OOM killer takes the job, never the agent (which is often the largest process). posix_spawn runs
/// no code in the child, so the agent raises its own score around the spawn — the child inherits it — and lowers
/// it back (allowed down to the value runc set, without privilege). Spawns are serialized by the reaper's lock.
/// </summary>
internal static class OomScore
{
    // Opened while the agent is still dumpable: once it is not, /proc/self belongs to root and only an fd
    // opened before stays writable.
    private static FileStream? _file;

    /// <summary>Opens the score file; call before the agent makes itself non-dumpable.</summary>
    public static void Open()
    {
        try
        {
            _file = new FileStream("/proc/self/oom_score_adj", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _file = null;
        }
    }

    public static T AsVictim<T>(Func<T> spawn)
    {
        var raised = TryWrite("1000");
        try
        {
            return spawn();
        }
        finally
        {
            if (raised)
            {
                TryWrite("0");
            }
        }
    }

    private static bool TryWrite(string value)
    {
        if (_file is null)
        {
            return false;
        }

        try
        {
            var bytes = System.Text.Encoding.ASCII.GetBytes(value);
            RandomAccess.Write(_file.SafeFileHandle, bytes, 0);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
