using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cordon.ControlPlane.Storage;
using Microsoft.IdentityModel.Tokens;

namespace Cordon.ControlPlane.Auth;

/// <summary>
/// The local development signing key, <c>&lt;CORDON_DATA_DIR&gt;/auth/dev-signing-key.json</c>
/// (<c>{"kid","key"}</c>, key base64url of 32 random bytes). Created on first use; <c>cordon token</c> reads it too.
/// </summary>
internal sealed class DevSigningKey
{
    public const string Issuer = "cordon-dev";

    public required string Kid { get; init; }

    public required byte[] Key { get; init; }

    public static string PathIn(DataDirectory dataDirectory) => dataDirectory.Combine("auth", "dev-signing-key.json");

    public static DevSigningKey LoadOrCreate(DataDirectory dataDirectory)
    {
        var path = PathIn(dataDirectory);
        if (!File.Exists(path))
        {
            PrivateFiles.EnsureDataDirectory(dataDirectory.Path);
            PrivateFiles.CreateDirectory(Path.GetDirectoryName(path)!);
            var created = new DevKeyFile { Kid = "dev-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)), Key = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32)) };
            try
            {
                using var stream = PrivateFiles.Create(path);
                JsonSerializer.Serialize(stream, created, ControlPlaneJsonContext.Default.DevKeyFile);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first; use theirs.
            }
        }

        var file = JsonSerializer.Deserialize(File.ReadAllText(path), ControlPlaneJsonContext.Default.DevKeyFile)
            ?? throw new InvalidOperationException($"{path} is empty; delete it and a new key is created.");
        if (!SigningKeys.TryDecode(file.Key, out var key) || key.Length < 32)
        {
            throw new InvalidOperationException($"{path} does not hold a base64url key of 32 bytes; delete it and a new key is created.");
        }

        return new DevSigningKey { Kid = file.Kid, Key = key };
    }

    internal sealed class DevKeyFile
    {
        [JsonPropertyName("kid")]
        public required string Kid { get; init; }

        [JsonPropertyName("key")]
        public required string Key { get; init; }
    }
}
