namespace Cordon.Init.Native;

/// <summary>
/// Keeps fds 0–9 occupied (by /dev/null) so every pipe the agent makes is 10 or above: the dup2 file actions
/// that place pipes on a child's fds 0–4 can then never clobber a source fd that is still to be moved.
/// </summary>
internal static class LowFds
{
    public static void Reserve()
    {
        while (true)
        {
            var fd = Libc.open("/dev/null", Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
            if (fd < 0 || fd >= 10)
            {
                if (fd >= 0)
                {
                    Libc.close(fd);
                }

                return;
            }
        }
    }
}
