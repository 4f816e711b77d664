using System.Security.Cryptography;
using System.Text;
using Cordon.ControlPlane.Storage;

namespace Cordon.ControlPlane.Secrets;

/// <summary>
/// A master key on disk: 32 random bytes as base64 text (<c>head -c 32 /dev/urandom | base64</c>), 0600. Its id is a
/// hash of the key (never the key), stored beside each data key it wrapped.
/// </summary>
internal static class MasterKeyFile
{
    public const int KeyBytes = 32;

    public static byte[] Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"The master key file '{path}' cannot be read: {exception.Message}", exception);
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(text);
        }
        catch (FormatException exception)
        {
            throw new InvalidOperationException($"The master key file '{path}' is not base64 text of {KeyBytes} bytes.", exception);
        }

        return key.Length == KeyBytes
            ? key
            : throw new InvalidOperationException($"The master key file '{path}' holds {key.Length} bytes; a master key is {KeyBytes}.");
    }

    /// <summary>Writes a new random key 0600 from the start, complete on disk before it has its name.</summary>
    public static byte[] CreateNew(string path)
    {
        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        var temporary = path + ".tmp";
        File.Delete(temporary);
        using (var stream = PrivateFiles.Create(temporary))
        {
            stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(key) + "\n"));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: false);
        return key;
    }

    public static string IdOf(ReadOnlySpan<byte> key)
    {
        Span<byte> input = stackalloc byte[KeyBytes + 16];
        "cordon-master-v1"u8.CopyTo(input);
        key.CopyTo(input[16..]);
        return "mk-" + Convert.ToHexStringLower(SHA256.HashData(input))[..16];
    }
}
