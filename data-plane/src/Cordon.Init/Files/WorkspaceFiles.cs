using Cordon.Contracts.Runner.Agent;
using Cordon.Init.Native;
using Microsoft.Win32.SafeHandles;

namespace Cordon.Init.Files;

/// <summary>
/// File operations confined to the workspace. Paths are checked lexically first, then every open goes through
/// <see cref="ConfinedOpen"/>, so a symlink planted by the job cannot lead outside. The agent has no more
/// privilege than the job; the confinement keeps the API's promise, not a privilege boundary.
/// </summary>
internal sealed unsafe class WorkspaceFiles : IDisposable
{
    // Content travels base64-encoded in one JSON frame of at most 64 MiB: 47 MiB of bytes is the most that fits.
    private const long MaxRead = 47L * 1024 * 1024;
    private const int MaxEntries = 10_000;
    private readonly int _root;

    public WorkspaceFiles(string workspace)
    {
        Directory.CreateDirectory(workspace);
        _root = Open(workspace);
    }

    public void Write(string path, byte[] content, int mode)
    {
        var parts = NonEmpty(path);
        // Past RLIMIT_FSIZE the kernel answers with SIGXFSZ, which would end the agent: refuse before writing.
        if (FileSyscalls.FileSizeLimit() is { } sizeLimit && content.Length > sizeLimit)
        {
            throw AgentFileException.NoSpace($"'{WorkspacePath.Display(path)}' is {content.Length} bytes, over the sandbox's file size limit of {sizeLimit} bytes (its disk limit)");
        }

        for (var depth = 1; depth < parts.Length; depth++)
        {
            EnsureDirectory(parts, depth);
        }

        // No O_TRUNC: what is there is checked first (a FIFO would block, a device would be written), then cut.
        using var handle = OpenRegular(path, Libc.O_WRONLY | Libc.O_CREAT, (uint)(mode == 0 ? 420 : mode & 0x1ff));
        try
        {
            if (FileSyscalls.ftruncate((int)handle.DangerousGetHandle(), 0) != 0)
            {
                throw ConfinedOpen.Failure(-Libc.Errno, path);
            }

            RandomAccess.Write(handle, content, 0);
        }
        catch (IOException e) when (e.HResult is Libc.ENOSPC or FileSyscalls.EDQUOT || e.Message.Contains("space", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("quota", StringComparison.OrdinalIgnoreCase))
        {
            throw AgentFileException.NoSpace($"the workspace is full: '{WorkspacePath.Display(path)}' ({content.Length} bytes) does not fit in the sandbox's disk limit");
        }
    }

    public byte[] Read(string path, long maxBytes)
    {
        NonEmpty(path);
        using var handle = OpenRegular(path, Libc.O_RDONLY, 0);
        var length = RandomAccess.GetLength(handle);
        var limit = maxBytes > 0 ? Math.Min(maxBytes, MaxRead) : MaxRead;
        if (length > limit)
        {
            throw new FileTooLargeException($"'{path}' is {length} bytes, over the {limit}-byte limit");
        }

        var content = new byte[length];
        var read = 0;
        while (read < content.Length)
        {
            var n = RandomAccess.Read(handle, content.AsSpan(read), read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return read == content.Length ? content : content[..read];
    }

    public IReadOnlyList<AgentFileEntry> List(string? path)
    {
        var prefix = string.Join('/', WorkspacePath.Split(path ?? ""));
        var fd = ConfinedOpen.Open(_root, prefix, Libc.O_RDONLY | Libc.O_DIRECTORY);
        if (fd < 0)
        {
            throw ConfinedOpen.Failure(fd, prefix);
        }

        using var handle = ConfinedOpen.Handle(fd);
        var entries = new List<AgentFileEntry>();
        Walk(new DirectoryInfo($"/proc/self/fd/{fd}"), prefix, entries);
        return entries;
    }

    public void Delete(string path)
    {
        var parts = NonEmpty(path);
        var parent = string.Join('/', parts[..^1]);
        var fd = ConfinedOpen.Open(_root, parent, Libc.O_PATH | Libc.O_DIRECTORY);
        if (fd < 0)
        {
            throw ConfinedOpen.Failure(fd, path);
        }

        using var handle = ConfinedOpen.Handle(fd);
        var target = $"/proc/self/fd/{fd}/{parts[^1]}";
        var info = new FileInfo(target);
        if (!info.Exists && !Directory.Exists(target) && info.LinkTarget is null)
        {
            throw new FileNotFoundException($"'{path}' does not exist");
        }

        if (info.LinkTarget is null && Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }
        else
        {
            File.Delete(target);
        }
    }

    public void Dispose() => Libc.close(_root);

    /// <summary>
    /// Opens without blocking and without following a final symlink, then refuses anything but a regular file: a
    /// FIFO would hold the caller (and an agent thread) until someone wrote to it.
    /// </summary>
    private SafeFileHandle OpenRegular(string path, int flags, uint mode)
    {
        var fd = ConfinedOpen.Open(_root, path, flags | Libc.O_NONBLOCK | Libc.O_NOFOLLOW, mode);
        if (fd < 0)
        {
            throw ConfinedOpen.Failure(fd, path);
        }

        var handle = ConfinedOpen.Handle(fd);
        var result = FileSyscalls.Status(fd, out var status);
        if (result < 0 || !status.IsRegular)
        {
            handle.Dispose();
            throw result < 0 ? ConfinedOpen.Failure(result, path) : AgentFileException.NotAFile(path, status.Describe());
        }

        return handle;
    }

    private static string[] NonEmpty(string path)
    {
        var parts = WorkspacePath.Split(path);
        return parts.Length > 0 ? parts : throw new WorkspacePathException("the path names the workspace itself");
    }

    private void EnsureDirectory(string[] parts, int depth)
    {
        var dir = string.Join('/', parts[..depth]);
        var existing = ConfinedOpen.Open(_root, dir, Libc.O_PATH | Libc.O_DIRECTORY);
        if (existing >= 0)
        {
            Libc.close(existing);
            return;
        }

        if (-existing != Libc.ENOENT)
        {
            throw ConfinedOpen.Failure(existing, dir);
        }

        var parentFd = ConfinedOpen.Open(_root, string.Join('/', parts[..(depth - 1)]), Libc.O_PATH | Libc.O_DIRECTORY);
        if (parentFd < 0)
        {
            throw ConfinedOpen.Failure(parentFd, dir);
        }

        try
        {
            var name = System.Text.Encoding.UTF8.GetBytes(parts[depth - 1] + "\0");
            fixed (byte* namePtr = name)
            {
                if (Libc.mkdirat(parentFd, namePtr, 493) != 0 && Libc.Errno != Libc.EEXIST)
                {
                    throw ConfinedOpen.Failure(-Libc.Errno, dir);
                }
            }
        }
        finally
        {
            Libc.close(parentFd);
        }
    }

    private static void Walk(DirectoryInfo directory, string prefix, List<AgentFileEntry> entries)
    {
        foreach (var entry in directory.EnumerateFileSystemInfos())
        {
            if (entries.Count >= MaxEntries)
            {
                return;
            }

            var relative = prefix.Length == 0 ? entry.Name : $"{prefix}/{entry.Name}";
            var isDirectory = entry is DirectoryInfo && entry.LinkTarget is null;
            var size = entry is FileInfo file && entry.LinkTarget is null ? file.Length : 0;
            entries.Add(new AgentFileEntry(relative, size, isDirectory, new DateTimeOffset(entry.LastWriteTimeUtc).ToUnixTimeMilliseconds()));
            if (isDirectory)
            {
                Walk((DirectoryInfo)entry, relative, entries);
            }
        }
    }

    private static int Open(string workspace)
    {
        var fd = Libc.open(workspace, Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        return fd >= 0 ? fd : throw new IOException($"cannot open the workspace {workspace}: errno {Libc.Errno}");
    }
}
