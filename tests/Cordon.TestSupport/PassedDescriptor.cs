using System.Runtime.InteropServices;

namespace Cordon.TestSupport;

/// <summary>
/// Receives one file descriptor passed over a Unix socket (SCM_RIGHTS), as cordon-init receives each connection
/// on its control channel: what the agent doubles on the runner's real channel need.
/// </summary>
public static partial class PassedDescriptor
{
    /// <summary>Blocks for the next descriptor; -1 when the socket is closed or shut down.</summary>
    public static unsafe int Receive(SafeHandle socket)
    {
        byte data;
        var control = stackalloc byte[24]; // cmsghdr (16) + one int, aligned
        var iov = stackalloc nint[2];
        iov[0] = (nint)(&data);
        iov[1] = 1;
        var message = stackalloc nint[7]; // struct msghdr
        new Span<nint>(message, 7).Clear();
        message[2] = (nint)iov;
        message[3] = 1;
        message[4] = (nint)control;
        message[5] = 24;
        var added = false;
        socket.DangerousAddRef(ref added);
        try
        {
            var n = recvmsg((int)socket.DangerousGetHandle(), message, 0);
            return n <= 0 ? -1 : *(int*)(control + 16);
        }
        finally
        {
            socket.DangerousRelease();
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint recvmsg(int fd, nint* message, int flags);
}
