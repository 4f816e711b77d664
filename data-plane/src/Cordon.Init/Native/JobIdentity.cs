namespace Cordon.Init.Native;

/// <summary>
/// Who the job is: the uid/gid every program runs as (never the agent's own), and the helper that drops to them
/// (<c>SpawnHelper/cordon-spawn.c</c>). The agent's file operations on the workspace run under the job's ids too
/// (fsuid/fsgid of the calling thread for the duration of one operation), so the files belong to the job and the
/// agent needs no capability to override file permissions.
/// </summary>
internal sealed class JobIdentity(int uid, int gid, string spawnHelper)
{
    public int Uid => uid;

    public int Gid => gid;

    public string SpawnHelper => spawnHelper;

    /// <summary>Runs <paramref name="operation"/> (synchronous: fsuid is per thread) with the job's file ids.</summary>
    public T AsJob<T>(Func<T> operation)
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
}
