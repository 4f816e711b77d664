using System.Runtime.InteropServices;
using Cordon.Contracts.Runner.Agent;
using Cordon.Init.Native;

namespace Cordon.Init.Files;

/// <summary>
/// File operations confined to the workspace: every lookup starts at an <c>O_PATH</c> fd of the workspace and
/// goes through <see cref="Confined"/>, so neither <c>..</c> nor a symbolic link planted by a job leads out.
/// </summary>
internal sealed unsafe class WorkspaceFiles : IDisposable
{
    /// <summary>A read reply carries the file base64-encoded in one frame, so it must stay under 64 MiB.</summary>
    public const long MaxReadBytes = 47L * 1024 * 1024;

    public const int MaxListEntries = 10_000;

    private readonly int _root;

    public WorkspaceFiles(string workspace)
    {
        Directory.CreateDirectory(workspace);
        _root = Confined.OpenRoot(workspace);
        if (_root < 0)
        {
            throw new IOException($"Cannot open the workspace '{workspace}': {Marshal.GetPInvokeErrorMessage(-_root)}");
        }
    }

    public void Write(string path, ReadOnlySpan<byte> content, int mode, CancellationToken cancellationToken)
    {
        var segments = RequireFile(path);
        using var parent = OpenParent(segments, path, create: true);
        var fd = Check(Confined.Open(parent.Fd, segments[^1], Confined.OWrOnly | Confined.OCreat | Confined.OTrunc | Confined.ONoFollow, (ulong)(mode & 0x1ff)), path);
        try
        {
            fixed (byte* start = content)
            {
                var offset = 0;
                while (offset < content.Length)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var written = Libc.write(fd, start + offset, content.Length - offset);
                    if (written < 0)
                    {
                        throw WorkspaceException.FromErrno(Marshal.GetLastPInvokeError(), path);
                    }

                    offset += (int)written;
                }
            }
        }
        finally
        {
            Libc.close(fd);
        }
    }

    public byte[] Read(string path, long maxBytes, CancellationToken cancellationToken)
    {
        var segments = RequireFile(path);
        var limit = maxBytes > 0 ? Math.Min(maxBytes, MaxReadBytes) : MaxReadBytes;
        var fd = Check(Confined.Open(_root, string.Join('/', segments), Confined.ORdOnly), path);
        try
        {
            var stat = Confined.Stat(fd, "", Confined.AtEmptyPath, out var errno) ?? throw WorkspaceException.FromErrno(errno, path);
            if (stat.IsDirectory)
            {
                throw WorkspaceException.FromErrno(Libc.EISDIR, path);
            }

            if (stat.Size > limit)
            {
                throw TooLarge(path, stat.Size, limit);
            }

            // Read one byte past the limit: a file still growing is caught too.
            var buffer = new byte[Math.Min(limit + 1, stat.Size + 4096)];
            var total = 0;
            fixed (byte* start = buffer)
            {
                while (total < buffer.Length)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var read = Libc.read(fd, start + total, buffer.Length - total);
                    if (read < 0)
                    {
                        throw WorkspaceException.FromErrno(Marshal.GetLastPInvokeError(), path);
                    }

                    if (read == 0)
                    {
                        break;
                    }

                    total += (int)read;
                }
            }

            return total > limit ? throw TooLarge(path, total, limit) : buffer[..total];
        }
        finally
        {
            Libc.close(fd);
        }
    }

    public List<AgentFileEntry> List(string path, CancellationToken cancellationToken)
    {
        var segments = WorkspacePath.Parse(path);
        var fd = Check(Confined.Open(_root, segments.Length == 0 ? "." : string.Join('/', segments), Confined.ORdOnly | Confined.ODirectory), path);
        var entries = new List<AgentFileEntry>();
        try
        {
            Walk(fd, string.Join('/', segments), entries, cancellationToken);
        }
        finally
        {
            Libc.close(fd);
        }

        return entries;
    }

    public void Delete(string path, CancellationToken cancellationToken)
    {
        var segments = WorkspacePath.Parse(path);
        if (segments.Length == 0)
        {
            throw new WorkspaceException(AgentErrorCodes.InvalidPath, "The workspace root itself cannot be deleted.");
        }

        using var parent = OpenParent(segments, path, create: false);
        var stat = Confined.Stat(parent.Fd, segments[^1], 0, out var errno) ?? throw WorkspaceException.FromErrno(errno, path);
        if (stat.IsDirectory)
        {
            DeleteTree(parent.Fd, segments[^1], path, cancellationToken);
        }
        else
        {
            Check(Confined.Unlink(parent.Fd, segments[^1], 0), path);
        }
    }

    public void Dispose() => Libc.close(_root);

    private void Walk(int directoryFd, string prefix, List<AgentFileEntry> entries, CancellationToken cancellationToken)
    {
        foreach (var name in Confined.ReadNames(directoryFd).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entries.Count >= MaxListEntries || Confined.Stat(directoryFd, name, 0, out _) is not { } stat)
            {
                continue;
            }

            var relative = prefix.Length == 0 ? name : $"{prefix}/{name}";
            entries.Add(new AgentFileEntry(relative, stat.IsDirectory ? 0 : stat.Size, stat.IsDirectory, stat.ModifiedAtUnixMs));
            if (stat.IsDirectory)
            {
                var child = Confined.Open(directoryFd, name, Confined.ORdOnly | Confined.ODirectory | Confined.ONoFollow);
                if (child >= 0)
                {
                    try
                    {
                        Walk(child, relative, entries, cancellationToken);
                    }
                    finally
                    {
                        Libc.close(child);
                    }
                }
            }
        }
    }

    private static void DeleteTree(int parentFd, string name, string path, CancellationToken cancellationToken)
    {
        var fd = Check(Confined.Open(parentFd, name, Confined.ORdOnly | Confined.ODirectory | Confined.ONoFollow), path);
        try
        {
            foreach (var child in Confined.ReadNames(fd))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Confined.Stat(fd, child, 0, out _) is { IsDirectory: true })
                {
                    DeleteTree(fd, child, path, cancellationToken);
                }
                else
                {
                    Check(Confined.Unlink(fd, child, 0), path);
                }
            }
        }
        finally
        {
            Libc.close(fd);
        }

        Check(Confined.Unlink(parentFd, name, Confined.AtRemoveDir), path);
    }

    /// <summary>Opens the directory holding the last segment, creating missing directories when asked.</summary>
    private DirectoryFd OpenParent(string[] segments, string path, bool create)
    {
        var current = new DirectoryFd(_root, Owned: false);
        for (var i = 0; i < segments.Length - 1; i++)
        {
            var prefix = string.Join('/', segments[..(i + 1)]);
            var next = Confined.Open(_root, prefix, Confined.OPath | Confined.ODirectory);
            if (next == -Libc.ENOENT && create)
            {
                var made = Confined.MakeDirectory(current.Fd, segments[i], 0x1ed); // 0755
                if (made < 0 && made != -Libc.EEXIST)
                {
                    current.Dispose();
                    throw WorkspaceException.FromErrno(-made, path);
                }

                next = Confined.Open(_root, prefix, Confined.OPath | Confined.ODirectory);
            }

            current.Dispose();
            current = new DirectoryFd(Check(next, path), Owned: true);
        }

        return current;
    }

    private static string[] RequireFile(string path)
    {
        var segments = WorkspacePath.Parse(path);
        return segments.Length > 0 ? segments : throw new WorkspaceException(AgentErrorCodes.InvalidPath, "A file path is required.");
    }

    private static int Check(int result, string path) => result >= 0 ? result : throw WorkspaceException.FromErrno(-result, path);

    private static WorkspaceException TooLarge(string path, long size, long limit) =>
        new(AgentErrorCodes.TooLarge, $"'{path}' has {size} bytes, more than the {limit}-byte limit.");

    private readonly record struct DirectoryFd(int Fd, bool Owned) : IDisposable
    {
        public void Dispose()
        {
            if (Owned)
            {
                Libc.close(Fd);
            }
        }
    }
}
