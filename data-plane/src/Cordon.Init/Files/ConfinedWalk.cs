using System.Text;
using Cordon.Init.Native;

namespace Cordon.Init.Files;

/// <summary>
/// The fallback for kernels and runtimes without openat2 (gVisor answers ENOSYS): the path is opened one component
/// at a time from the workspace fd, each with O_NOFOLLOW, and each step checked with statx. It refuses <c>..</c>,
/// every symlink (magic links of /proc included — stricter than openat2, which follows links that stay beneath),
/// and every other mount (its device differs from the workspace's). Each step starts from the fd the last one
/// opened, so renaming a directory during the walk cannot lead it outside.
/// </summary>
internal static unsafe class ConfinedWalk
{
    /// <summary>Opens <paramref name="relative"/> under <paramref name="rootFd"/>; returns the fd or -errno.</summary>
    public static int Open(int rootFd, string relative, int flags, uint mode = 0)
    {
        var parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        if (parts.Any(p => p == ".."))
        {
            return -Libc.EXDEV;
        }

        var result = FileSyscalls.Status(rootFd, out var root);
        if (result < 0)
        {
            return result;
        }

        if (parts.Length == 0)
        {
            return Step(rootFd, ".", flags, mode, root.Device, last: true);
        }

        var current = rootFd;
        try
        {
            for (var i = 0; i < parts.Length; i++)
            {
                var last = i == parts.Length - 1;
                var fd = Step(current, parts[i], last ? flags : Libc.O_PATH, mode, root.Device, last);
                if (current != rootFd)
                {
                    Libc.close(current);
                }

                current = rootFd; // nothing left to close if this step failed
                if (fd < 0 || last)
                {
                    return fd;
                }

                current = fd;
            }
        }
        finally
        {
            if (current != rootFd)
            {
                Libc.close(current);
            }
        }

        return -Libc.ENOENT; // not reached: the loop returns at its last part
    }

    /// <summary>One component: opened without following, then checked for its type and device.</summary>
    private static int Step(int dirFd, string name, int flags, uint mode, ulong device, bool last)
    {
        var bytes = Encoding.UTF8.GetBytes(name + "\0");
        int fd;
        fixed (byte* path = bytes)
        {
            do
            {
                fd = FileSyscalls.openat(dirFd, path, flags | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, mode);
            }
            while (fd < 0 && Libc.Errno == Libc.EINTR);
        }

        if (fd < 0)
        {
            return -Libc.Errno;
        }

        var refusal = FileSyscalls.Status(fd, out var status) switch
        {
            < 0 and var error => error,
            _ when status.IsSymlink => -Libc.ELOOP, // O_PATH | O_NOFOLLOW opens the link itself
            _ when status.Device != device => -Libc.EXDEV,
            _ when !last && !status.IsDirectory => -Libc.ENOTDIR,
            _ => 0,
        };
        if (refusal < 0)
        {
            Libc.close(fd);
            return refusal;
        }

        return fd;
    }
}
