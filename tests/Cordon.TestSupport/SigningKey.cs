using System.Buffers.Text;
using System.Text.Json;

namespace Cordon.TestSupport;

/// <summary>An HMAC signing key as the control plane configures it: base64url key bytes and a key id.</summary>
public sealed record SigningKey(string Key, string KeyId)
{
    /// <summary>A key from its raw bytes (base64url-encoded, unpadded, as the control plane's settings take it).</summary>
    public static SigningKey FromBytes(ReadOnlySpan<byte> key, string keyId) => new(Base64Url.EncodeToString(key), keyId);

    /// <summary>
    /// The key a Development control plane wrote to <c>&lt;data dir&gt;/auth/dev-signing-key.json</c> on start,
    /// the one <c>cordon token</c> signs with.
    /// </summary>
    public static SigningKey ReadDevKey(string dataDirectory)
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(dataDirectory, "auth", "dev-signing-key.json")));
        return new SigningKey(
            file.RootElement.GetProperty("key").GetString() ?? throw new InvalidDataException("dev-signing-key.json has no key"),
            file.RootElement.GetProperty("kid").GetString() ?? throw new InvalidDataException("dev-signing-key.json has no kid"));
    }
}
