using System.ComponentModel;
using System.Runtime.InteropServices;
using Cordon.Runner.Configuration;
using Cordon.Runner.Sandboxes;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Cordon.Runner.Hosting;

/// <summary>
/// The runner's gRPC endpoint as a Unix socket (<c>Cordon:Runner:Socket</c>) that only its own user can connect
/// to: the socket is made 0600 before it is bound (Linux gives the file the socket's mode), so there is no moment
/// at which another local user could connect, and its directory is created 0700. The control plane reaches it
/// as <c>unix:/path</c>. The service token is still required on every call.
/// </summary>
internal static partial class UnixSocketListener
{
    public static void Listen(KestrelServerOptions kestrel, string path)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, HostFileModes.Private);
        }

        if (Path.Exists(full))
        {
            if (!IsSocket(full))
            {
                throw new RunnerStartupException($"Cordon:Runner:Socket {full} exists and is not a socket; remove it or choose another path");
            }

            File.Delete(full); // a socket left by a runner that did not stop cleanly
        }

        // Made with libc rather than a .NET Socket: a Socket that bound a path unlinks it when disposed.
        var handle = socket(AfUnix, SockStream | SockCloexec, 0);
        if (handle < 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "socket for the runner endpoint");
        }

        if (fchmod(handle, 0b110_000_000) != 0 || Bind(handle, full) != 0 || listen(handle, 512) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            close(handle);
            throw new Win32Exception(error, $"binding the runner socket {full}");
        }

        var mode = File.GetUnixFileMode(full);
        if (mode != (UnixFileMode.UserRead | UnixFileMode.UserWrite))
        {
            throw new RunnerStartupException($"the runner socket {full} came out {mode}, not 0600");
        }

        kestrel.ListenHandle((ulong)handle, listen => listen.Protocols = HttpProtocols.Http2);
    }

    private const int AfUnix = 1;
    private const int SockStream = 1;
    private const int SockCloexec = 0x80000;

    private static unsafe int Bind(int fd, string path)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(path);
        if (bytes.Length >= 108)
        {
            throw new RunnerStartupException($"Cordon:Runner:Socket {path} is longer than a Unix socket path may be (107 bytes)");
        }

        var address = stackalloc byte[110]; // struct sockaddr_un: sa_family_t, then sun_path[108]
        new Span<byte>(address, 110).Clear();
        *(ushort*)address = AfUnix;
        bytes.CopyTo(new Span<byte>(address + 2, 108));
        return bind(fd, address, 110);
    }

    private static unsafe bool IsSocket(string path)
    {
        const uint SIfmt = 0xF000;
        const uint SIfsock = 0xC000;
        var stat = stackalloc byte[256]; // struct stat is 144 bytes on x86_64 and aarch64
        return lstat(path, stat) == 0 && (*(uint*)(stat + StModeOffset) & SIfmt) == SIfsock;
    }

    // st_dev, st_ino, st_nlink (8 bytes each) come first on x86_64; aarch64 has st_mode at 16.
    private static int StModeOffset => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 16 : 24;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int lstat(string path, byte* buffer);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fchmod(int fd, uint mode);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int bind(int fd, byte* address, int length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int listen(int fd, int backlog);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
