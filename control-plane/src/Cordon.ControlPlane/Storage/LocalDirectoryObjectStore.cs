namespace Cordon.ControlPlane.Storage;

/// <summary>
/// The embedded object store: files under <c>&lt;data dir&gt;/artifacts</c>, directories 0700 and files 0600 (tenants'
/// artifacts are nobody else's business on the host), each written to a temporary name and renamed into place so a
/// reader never sees half a file.
/// </summary>
internal sealed class LocalDirectoryObjectStore(DataDirectory dataDirectory) : IObjectStore
{
    public const string DirectoryName = "artifacts";

    private readonly string _root = dataDirectory.Combine(DirectoryName);

    public Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            // A file made and removed: the directory is there, writable, and its file system not read-only.
            PrivateFiles.CreateDirectory(_root);
            var probe = System.IO.Path.Combine(_root, ".ready-" + Guid.NewGuid().ToString("N"));
            PrivateFiles.Create(probe).Dispose();
            File.Delete(probe);

            return Task.FromResult<string?>(null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Task.FromResult<string?>($"the artifact directory {_root} is not writable ({e.GetType().Name})");
        }
    }

    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var path = Resolve(key);
        PrivateFiles.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            await using (var file = PrivateFiles.Create(temporary))
            {
                await file.WriteAsync(content, cancellationToken);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = Resolve(key);
        return Task.FromResult<Stream?>(File.Exists(path)
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true)
            : null);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        var path = Resolve(key);
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // A concurrent delete (another replica's retention pass) removed the directories already: nothing is left.
            return Task.CompletedTask;
        }

        // Empty directories left behind (the job's, then the tenant's) go too; another writer may be filling one.
        for (var directory = Path.GetDirectoryName(path); directory is not null && directory != _root; directory = Path.GetDirectoryName(directory))
        {
            try
            {
                if (!Directory.Exists(directory) || Directory.EnumerateFileSystemEntries(directory).Any())
                {
                    break;
                }

                Directory.Delete(directory);
            }
            catch (IOException)
            {
                break;
            }
        }

        return Task.CompletedTask;
    }

    private string Resolve(string key)
    {
        // Keys are validated upstream; this is the last guard against leaving the root.
        var path = Path.GetFullPath(Path.Combine(_root, key));
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Object key '{key}' leaves the object store.", nameof(key));
        }

        return path;
    }
}
