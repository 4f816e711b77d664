using System.Text.Json;

namespace Cordon.Cli.Tokens;

/// <summary>
/// The control plane's local development signing key, <c>&lt;data dir&gt;/auth/dev-signing-key.json</c>:
/// <c>{"kid": "…", "key": "&lt;base64url of 32 bytes&gt;"}</c>.
/// </summary>
internal sealed record DevSigningKey(string KeyId, byte[] Key)
{
    public const string RelativePath = "auth/dev-signing-key.json";

    /// <summary>The data directory: <c>--data-dir</c>, else <c>CORDON_DATA_DIR</c>, else <c>./.cordon</c>.</summary>
    public static string ResolveDataDirectory(string? option) =>
        Path.GetFullPath(!string.IsNullOrWhiteSpace(option) ? option
            : Environment.GetEnvironmentVariable("CORDON_DATA_DIR") is { Length: > 0 } fromEnv ? fromEnv
            : ".cordon");

    public static DevSigningKey Load(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, RelativePath);
        if (!File.Exists(path))
        {
            throw new CliException(
                $"no development signing key at {path}. Start the control plane in Development first (make run), " +
                "which creates it, or point --data-dir / CORDON_DATA_DIR at its data directory.",
                ExitCodes.Config);
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            var kid = root.GetProperty("kid").GetString();
            var key = Base64Url.Decode(root.GetProperty("key").GetString() ?? "");
            if (string.IsNullOrEmpty(kid) || key.Length < 32)
            {
                throw new CliException($"the development signing key at {path} is malformed (needs a kid and a key of 32 bytes).", ExitCodes.Config);
            }

            return new DevSigningKey(kid, key);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new CliException($"the development signing key at {path} is malformed: {ex.Message}", ExitCodes.Config);
        }
    }
}
