using System.ComponentModel;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Cordon.Runner.Native;

/// <summary>
/// Connected Unix stream socket pairs (close-on-exec) and passing one end to the other side with SCM_RIGHTS:
/// how the runner reaches a sandbox's agent without any socket path the sandbox could see.
/// </summary>
internal static unsafe partial class SocketPair
{
    private const int AfUnix = 1;
    private const int SockStream = 1;
    private const int SockCloexec = 0x80000;
    private const int SolSocket = 1;
    private const int ScmRights = 1;
    private const int MsgNosignal = 0x4000;
    private const int EINTR = 4;

    /// <summary>A new pair: the runner's end as a <see cref="Socket"/>, the other as a raw handle to hand on.</summary>
    public static (Socket Local, SafeSocketHandle Remote) Create()
    {
        var fds = stackalloc int[2];
        if (socketpair(AfUnix, SockStream | SockCloexec, 0, fds) != 0)
        {
            throw new SocketException(Marshal.GetLastPInvokeError());
        }

        return (new Socket(new SafeSocketHandle(fds[0], ownsHandle: true)), new SafeSocketHandle(fds[1], ownsHandle: true));
    }

    /// <summary>Sends one byte carrying <paramref name="fd"/> as SCM_RIGHTS over <paramref name="channel"/>.</summary>
    public static void SendFd(SafeHandle channel, SafeHandle fd)
    {
        var added = false;
        var addedFd = false;
        try
        {
            channel.DangerousAddRef(ref added);
            fd.DangerousAddRef(ref addedFd);
            byte data = 1;
            var iov = new IoVec { Base = &data, Length = 1 };
            // CMSG_SPACE(sizeof(int)) on LP64: 16-byte header, 4 bytes of data padded to 8.
            var control = stackalloc byte[24];
            new Span<byte>(control, 24).Clear();
            *(nuint*)control = 20; // CMSG_LEN(sizeof(int))
            *(int*)(control + 8) = SolSocket;
            *(int*)(control + 12) = ScmRights;
            *(int*)(control + 16) = (int)fd.DangerousGetHandle();
            var message = new MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = 24 };
            while (true)
            {
                if (sendmsg((int)channel.DangerousGetHandle(), &message, MsgNosignal) == 1)
                {
                    return;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno != EINTR)
                {
                    throw new SocketException(errno);
                }
            }
        }
        finally
        {
            if (addedFd)
            {
                fd.DangerousRelease();
            }

            if (added)
            {
                channel.DangerousRelease();
            }
        }
    }

    /// <summary>SO_PEERCRED of a connected Unix socket, in the runner's namespaces.</summary>
    public static (int Pid, uint Uid) PeerOf(SafeHandle socket)
    {
        var added = false;
        try
        {
            socket.DangerousAddRef(ref added);
            var credentials = stackalloc int[3];
            var length = 12u;
            return getsockopt((int)socket.DangerousGetHandle(), SolSocket, 17 /* SO_PEERCRED */, credentials, &length) == 0
                ? (credentials[0], (uint)credentials[1])
                : throw new Win32Exception(Marshal.GetLastPInvokeError(), "SO_PEERCRED");
        }
        finally
        {
            if (added)
            {
                socket.DangerousRelease();
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int socketpair(int domain, int type, int protocol, int* fds);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint sendmsg(int fd, MsgHdr* message, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getsockopt(int fd, int level, int name, void* value, uint* length);
}
