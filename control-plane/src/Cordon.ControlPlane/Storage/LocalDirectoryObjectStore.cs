namespace Cordon.ControlPlane.Storage;

/// <summary>The embedded object store: files under <c>&lt;data dir&gt;/artifacts</c>.</summary>
internal sealed class LocalDirectoryObjectStore(DataDirectory dataDirectory) : IObjectStore
{
    private readonly string _root = dataDirectory.Combine("artifacts");

    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var path = Resolve(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, content.ToArray(), cancellationToken);
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = Resolve(key);
        return Task.FromResult<Stream?>(File.Exists(path)
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true)
            : null);
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
