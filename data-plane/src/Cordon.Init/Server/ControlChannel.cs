using Cordon.Init.Native;

namespace Cordon.Init.Server;

/// <summary>
/// The agent's only way in: a connected Unix socket the runner handed over as an inherited fd (0 in a sandbox).
/// Each runner connection arrives over it as one end of a socketpair the runner made, sent with SCM_RIGHTS, so
/// the agent listens on no path and nothing in the sandbox can connect to it. Works the same under runc and
/// runsc (gVisor imports the fd as a host socket and passes SCM_RIGHTS through).
/// </summary>
internal sealed unsafe class ControlChannel(int fd)
{
    private const int MaxFdsPerMessage = 4;

    /// <summary>The channel fd itself, for the peer check.</summary>
    public int Fd => fd;

    /// <summary>Blocks until the runner sends a connection: its fd, or -1 when the runner closed the channel.</summary>
    public int Receive()
    {
        var control = stackalloc byte[ControlSpace];
        while (true)
        {
            byte data;
            var iov = new Libc.IoVec { Base = &data, Length = 1 };
            var message = new Libc.MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = (nuint)ControlSpace };
            var n = Libc.recvmsg(fd, &message, Libc.MSG_CMSG_CLOEXEC);
            if (n == 0)
            {
                return -1;
            }

            if (n < 0)
            {
                var errno = Libc.Errno;
                if (errno is Libc.EINTR or Libc.EAGAIN)
                {
                    continue;
                }

                if (errno is Libc.ENOMEM or Libc.ENOBUFS or Libc.EMFILE or Libc.ENFILE)
                {
                    throw new ControlChannelBusyException($"errno {errno}");
                }

                throw new IOException($"the control channel failed: errno {errno}");
            }

            var received = ReceivedFds(&message);
            if (received.Count == 1 && (message.Flags & Libc.MSG_CTRUNC) == 0)
            {
                return received[0];
            }

            // Anything but exactly one fd is not the runner's protocol: close what came and wait for the next.
            foreach (var extra in received)
            {
                Libc.close(extra);
            }
        }
    }

    // CMSG_SPACE(MaxFdsPerMessage * sizeof(int)) on LP64: a 16-byte header and the data padded to 8.
    private static int ControlSpace => 16 + (((MaxFdsPerMessage * sizeof(int)) + 7) & ~7);

    private static List<int> ReceivedFds(Libc.MsgHdr* message)
    {
        var fds = new List<int>();
        var control = (byte*)message->Control;
        var offset = 0;
        while (offset + 16 <= (int)message->ControlLength)
        {
            var length = (int)*(nuint*)(control + offset);
            var level = *(int*)(control + offset + 8);
            var type = *(int*)(control + offset + 12);
            if (length < 16 || offset + length > (int)message->ControlLength)
            {
                break;
            }

            if (level == Libc.SOL_SOCKET && type == Libc.SCM_RIGHTS)
            {
                for (var at = 16; at + sizeof(int) <= length; at += sizeof(int))
                {
                    fds.Add(*(int*)(control + offset + at));
                }
            }

            offset += (length + 7) & ~7;
        }

        return fds;
    }
}
