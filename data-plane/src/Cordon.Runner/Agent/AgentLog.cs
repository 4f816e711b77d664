using System.Net.Sockets;
using System.Text;
using Cordon.Runner.Native;
using Cordon.Runner.Sandboxes;

namespace Cordon.Runner.Agent;

/// <summary>
/// The container's stdout and stderr (the OCI runtime's own messages, then the agent's): a socket pair whose far
/// end the runtime passes on, drained here for the sandbox's whole life. The first <see cref="CapBytes"/> go to
/// <c>init.log</c>; the rest is read and dropped, so nothing in a sandbox can grow a file on the host's disk, and
/// a full buffer can never stall the agent.
/// </summary>
internal sealed class AgentLog : IDisposable
{
    public const int CapBytes = 64 * 1024;
    private readonly Socket _local;
    private readonly string _path;
    private readonly FileStream _file;
    private readonly Task _drain;
    private long _dropped;

    public AgentLog(string path)
    {
        _path = path;
        // Opened here, not in the drain: the file exists once the sandbox does, so a teardown that deletes the
        // state directory never races the drain creating it.
        _file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite | FileShare.Delete,
            BufferSize = 1,
            UnixCreateMode = HostFileModes.PrivateFile, // 0600: only the runner reads it
        });
        (_local, ContainerEnd) = SocketPair.Create();
        _drain = Task.Run(DrainAsync);
    }

    /// <summary>The end the container gets as stdout and stderr; closed here once the runtime has run.</summary>
    public SafeSocketHandle ContainerEnd { get; }

    /// <summary>Bytes read past the cap and dropped.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>What was kept so far (for an error message), after giving late writes a moment to arrive.</summary>
    public async Task<string> ReadAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAny(_drain, Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken));
        try
        {
            await using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var buffer = new byte[CapBytes];
            var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
            return Encoding.UTF8.GetString(buffer, 0, read).Trim();
        }
        catch (FileNotFoundException)
        {
            return "";
        }
    }

    public void ReleaseContainerEnd() => ContainerEnd.Dispose();

    public void Dispose()
    {
        ContainerEnd.Dispose();
        _local.Dispose();
    }

    private async Task DrainAsync()
    {
        var buffer = new byte[16 * 1024];
        long kept = 0;
        try
        {
            await using var file = _file;
            while (await _local.ReceiveAsync(buffer, SocketFlags.None) is var n and > 0)
            {
                var keep = (int)Math.Min(n, CapBytes - kept);
                if (keep > 0)
                {
                    await file.WriteAsync(buffer.AsMemory(0, keep));
                    kept += keep;
                }

                Interlocked.Add(ref _dropped, n - keep);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            // The sandbox is being torn down (or its state directory is gone): the log ends here.
        }
    }
}
