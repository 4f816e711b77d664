using System.ComponentModel;
using Cordon.Init.Native;

namespace Cordon.Init.Processes;

/// <summary>A pipe whose ends are close-on-exec in the agent; the child gets one end through dup2.</summary>
internal readonly unsafe record struct Pipe(int ReadFd, int WriteFd)
{
    public static Pipe Create()
    {
        int* fds = stackalloc int[2];
        if (Libc.pipe2(fds, Libc.O_CLOEXEC) != 0)
        {
            throw new Win32Exception(Libc.Errno, "pipe2 failed");
        }

        return new Pipe(fds[0], fds[1]);
    }

    public static void SetNonBlocking(int fd)
    {
        var flags = Libc.fcntl(fd, Libc.F_GETFL, 0);
        Libc.fcntl(fd, Libc.F_SETFL, flags | Libc.O_NONBLOCK);
    }

    public static void Close(int fd)
    {
        if (fd >= 0)
        {
            Libc.close(fd);
        }
    }
}
