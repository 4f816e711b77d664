using System.Security.Cryptography;

namespace Cordon.ControlPlane.Secrets;

/// <summary>
/// The master key from <c>Cordon:Secrets:MasterKeyFile</c>. Data keys are wrapped with AES-256-GCM (associated data:
/// the secret's tenant and name). A rotation writes the new key to <c>FILE.next</c> first and wraps with it from then
/// on; the old key stays in <c>FILE</c> until every data key is re-wrapped, then <c>FILE.next</c> replaces it. Every
/// key file present (<c>FILE</c>, <c>FILE.next</c>, and <c>FILE.previous</c> of a swap cut short) is loaded for
/// unwrapping, and each row names its key, so a crash at any point loses nothing.
/// </summary>
internal sealed class FileKeyWrapper : IKeyWrapper
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly string _path;
    private readonly Lock _lock = new();
    private Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);
    private string _current = "";
    private string _main = "";

    public FileKeyWrapper(string path)
    {
        _path = Path.GetFullPath(path);
        Reload();
    }

    public bool Available => true;

    public string CurrentKeyId
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    private string NextPath => _path + ".next";

    private string PreviousPath => _path + ".previous";

    public ValueTask<WrappedKey> WrapAsync(ReadOnlyMemory<byte> dataKey, ReadOnlyMemory<byte> context, CancellationToken cancellationToken)
    {
        string id;
        byte[] key;
        lock (_lock)
        {
            id = _current;
            key = _keys[id];
        }

        var output = new byte[NonceBytes + dataKey.Length + TagBytes];
        var nonce = output.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, dataKey.Span, output.AsSpan(NonceBytes, dataKey.Length), output.AsSpan(NonceBytes + dataKey.Length), context.Span);
        return ValueTask.FromResult(new WrappedKey(id, output));
    }

    public ValueTask<byte[]> UnwrapAsync(WrappedKey wrapped, ReadOnlyMemory<byte> context, CancellationToken cancellationToken)
    {
        var key = Find(wrapped.KeyId);
        if (wrapped.Bytes.Length < NonceBytes + TagBytes)
        {
            throw new MasterKeyMismatchException("A stored data key is truncated; the row was changed outside the control plane.");
        }

        var length = wrapped.Bytes.Length - NonceBytes - TagBytes;
        var dataKey = new byte[length];
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(wrapped.Bytes.AsSpan(0, NonceBytes), wrapped.Bytes.AsSpan(NonceBytes, length), wrapped.Bytes.AsSpan(NonceBytes + length), dataKey, context.Span);
        }
        catch (AuthenticationTagMismatchException exception)
        {
            throw new MasterKeyMismatchException(
                $"A data key wrapped by master key {wrapped.KeyId} does not decrypt with the key of that id: the row was changed outside the control plane.", exception);
        }

        return ValueTask.FromResult(dataKey);
    }

    public ValueTask<(string OldKeyId, string NewKeyId)> BeginRotationAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!File.Exists(NextPath))
            {
                MasterKeyFile.CreateNew(NextPath);
            }

            Reload();
            return ValueTask.FromResult((_main, _current));
        }
    }

    public ValueTask CompleteRotationAsync(string newKeyId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!File.Exists(NextPath) || MasterKeyFile.IdOf(MasterKeyFile.Read(NextPath)) != newKeyId)
            {
                throw new InvalidOperationException($"The rotation to master key {newKeyId} is not the one under way.");
            }

            // Each step leaves a state Reload reads correctly: FILE.previous (old) + FILE.next (new), then FILE (new).
            if (File.Exists(_path))
            {
                File.Move(_path, PreviousPath, overwrite: true);
            }

            File.Move(NextPath, _path);
            File.Delete(PreviousPath);
            Reload();
        }

        return ValueTask.CompletedTask;
    }

    private byte[] Find(string keyId)
    {
        lock (_lock)
        {
            if (_keys.TryGetValue(keyId, out var key))
            {
                return key;
            }

            // Another process (a rotation run elsewhere) may have changed the files since they were read.
            Reload();
            return _keys.TryGetValue(keyId, out key)
                ? key
                : throw new MasterKeyMismatchException(
                    $"A secret's data key is wrapped by master key {keyId}, but the key in '{_path}' is {_current}: "
                    + "the master key file was replaced; restore the key it had, then retry.");
        }
    }

    private void Reload()
    {
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        // FILE is missing only in the middle of a rotation's swap, with the old key in FILE.previous.
        var main = Add(keys, MasterKeyFile.Read(!File.Exists(_path) && File.Exists(PreviousPath) ? PreviousPath : _path));
        var current = main;
        if (File.Exists(PreviousPath))
        {
            Add(keys, MasterKeyFile.Read(PreviousPath));
        }

        if (File.Exists(NextPath))
        {
            current = Add(keys, MasterKeyFile.Read(NextPath));
        }

        _keys = keys;
        _main = main;
        _current = current;
    }

    private static string Add(Dictionary<string, byte[]> keys, byte[] key)
    {
        var id = MasterKeyFile.IdOf(key);
        keys[id] = key;
        return id;
    }
}
