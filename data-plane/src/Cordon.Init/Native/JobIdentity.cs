namespace Cordon.Init.Native;

/// <summary>
/// Who the job is: the uid/gid every program runs as (never the agent's own), and the helper that drops to them
/// (<c>SpawnHelper/cordon-spawn.c</c>). The agent's file operations on the workspace run under the job's ids too
/// (for the duration of one synchronous operation on the calling thread), so the files belong to the job and the
/// agent needs no capability to override file permissions.
/// </summary>
internal sealed class JobIdentity(int uid, int gid, string spawnHelper)
{
    private const long SysSetresuid = 117;
    private const long SysSetresgid = 119;
    private const long Unchanged = -1;

    /// <summary>
    /// Linux gives each thread a file-system uid/gid (<c>setfsuid</c>). gVisor (runsc 2022-12-19) does not implement
    /// it (returns -1, changes nothing); there the thread's effective ids are switched instead, through the raw
    /// syscalls — per thread, unlike glibc's <c>setresuid</c>, which changes every thread of the process. The real and
    /// saved ids stay the agent's, so switching back is always allowed.
    /// </summary>
    private static readonly bool HasFsuid = Libc.setfsuid(-1) != -1;

    public int Uid => uid;

    public int Gid => gid;

    public string SpawnHelper => spawnHelper;

    /// <summary>Runs <paramref name="operation"/> (synchronous: the ids are per thread) with the job's file ids.</summary>
    public T AsJob<T>(Func<T> operation) => HasFsuid ? WithFsuid(operation) : WithEffectiveIds(operation);

    private T WithFsuid<T>(Func<T> operation)
    {
        var previousGid = Libc.setfsgid(gid);
        var previousUid = Libc.setfsuid(uid);
        try
        {
            return operation();
        }
        finally
        {
            Libc.setfsuid(previousUid);
            Libc.setfsgid(previousGid);
        }
    }

    private T WithEffectiveIds<T>(Func<T> operation)
    {
        var agentGid = (long)Libc.getegid();
        var agentUid = (long)Libc.geteuid();
        if (Libc.syscall(SysSetresgid, Unchanged, gid, Unchanged, 0) != 0)
        {
            throw new IOException("the agent could not take the job's group for a file operation");
        }

        if (Libc.syscall(SysSetresuid, Unchanged, uid, Unchanged, 0) != 0)
        {
            Restore(SysSetresgid, agentGid);
            throw new IOException("the agent could not take the job's user for a file operation");
        }

        try
        {
            return operation();
        }
        finally
        {
            Restore(SysSetresuid, agentUid);
            Restore(SysSetresgid, agentGid);
        }
    }

    // A thread left with the job's ids would do the next request's work as the job (or fail it): never go on.
    private static void Restore(long call, long id)
    {
        if (Libc.syscall(call, Unchanged, id, Unchanged, 0) != 0)
        {
            Environment.FailFast("cordon-init: could not restore the agent's ids after a file operation");
        }
    }
}
