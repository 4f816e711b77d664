using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Cordon.Runner.Native;

/// <summary>
/// Connects to a Unix socket in a directory the sandbox can write to without following a symlink the job may
/// have planted there: the socket is opened O_PATH|O_NOFOLLOW, checked to be a socket, then connected through
/// /proc/self/fd, so a swapped-in link to some host socket is never reached.
/// </summary>
internal static partial class UnixSocketPath
{
    private const int OPath = 0x200000;
    private const int ONofollow = 0x20000;
    private const int OCloexec = 0x80000;

    public static async Task<Socket> ConnectAsync(string path, CancellationToken cancellationToken)
    {
        var fd = open(path, OPath | ONofollow | OCloexec);
        if (fd < 0)
        {
            throw new SocketException((int)SocketError.ConnectionRefused);
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            var link = $"/proc/self/fd/{fd}";
            if (!IsSocket(fd))
            {
                throw new SocketException((int)SocketError.AccessDenied);
            }

            await socket.ConnectAsync(new UnixDomainSocketEndPoint(link), cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        finally
        {
            close(fd);
        }
    }

    private static unsafe bool IsSocket(int fd)
    {
        var stat = stackalloc byte[256];
        if (fstat(fd, stat) != 0)
        {
            return false;
        }

        // struct stat on x86_64/aarch64 glibc: st_mode is the u32 at offset 24 (x86_64) / 16 (aarch64).
        var modeOffset = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 16 : 24;
        var mode = *(uint*)(stat + modeOffset);
        return (mode & 0xF000) == 0xC000;
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int fstat(int fd, byte* stat);
}
