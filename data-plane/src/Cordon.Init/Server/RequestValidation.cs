using Cordon.Contracts.Runner.Agent;

namespace Cordon.Init.Server;

/// <summary>
/// Checks what the JSON layer cannot: members present but null (<c>required</c> only means present), null or
/// NUL-bearing list and map entries, and numbers out of range. Each problem names the member as it is on the wire.
/// </summary>
internal static class RequestValidation
{
    /// <summary>The first problem with <paramref name="request"/>, or null when it is well formed.</summary>
    public static string? Problem(AgentRequest request) => request switch
    {
        AgentHealthQuery => null,
        AgentSpawn spawn => Argv(spawn.Argv) ?? Env(spawn.Env) ?? NoNul(spawn.Cwd, "cwd") ?? NotNegative(spawn.TimeoutMs, "timeoutMs") ?? NotNegative(spawn.OutputBytes, "outputBytes"),
        AgentRepl repl => Argv(repl.Argv) ?? Required(repl.Code, "code") ?? Env(repl.Env) ?? NotNegative(repl.TimeoutMs, "timeoutMs") ?? NotNegative(repl.OutputBytes, "outputBytes"),
        AgentWriteFile write => Path(write.Path) ?? (write.Content is null ? "content must be base64 bytes, not null" : null)
            ?? (write.Mode is < 0 or > 0xFFF ? "mode must be permission bits between 0 and 07777" : null),
        AgentReadFile read => Path(read.Path) ?? NotNegative(read.MaxBytes, "maxBytes"),
        AgentListFiles => null,
        AgentDeleteFile delete => Path(delete.Path),
        AgentWriteSecrets secrets => SecretFiles(secrets.Files),
        _ => "unknown request type",
    };

    private static string? SecretFiles(IReadOnlyList<AgentSecretFile>? files)
    {
        if (files is null || files.Count > 64)
        {
            return "files must be an array of at most 64 secrets";
        }

        for (var i = 0; i < files.Count; i++)
        {
            if (files[i] is not { Name: { } name, Content: not null } || name.Length is 0 or > 64
                || !name.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_') || char.IsAsciiDigit(name[0]))
            {
                return $"files[{i}] must have a name of A-Z, 0-9 and '_' (not starting with a digit, at most 64) and content";
            }
        }

        return null;
    }

    private static string? Argv(IReadOnlyList<string>? argv)
    {
        if (argv is null || argv.Count == 0)
        {
            return "argv must be a non-empty array of strings";
        }

        for (var i = 0; i < argv.Count; i++)
        {
            if (argv[i] is null)
            {
                return $"argv[{i}] must be a string, not null";
            }

            if (argv[i].Contains('\0', StringComparison.Ordinal))
            {
                return $"argv[{i}] must not contain NUL";
            }
        }

        return argv[0].Length == 0 ? "argv[0] must not be empty" : null;
    }

    private static string? Env(IReadOnlyDictionary<string, string>? env)
    {
        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            if (key.Length == 0 || key.Contains('=', StringComparison.Ordinal) || key.Contains('\0', StringComparison.Ordinal))
            {
                return "env names must be non-empty and free of '=' and NUL";
            }

            if (value is null)
            {
                return $"env.{key} must be a string, not null";
            }

            if (value.Contains('\0', StringComparison.Ordinal))
            {
                return $"env.{key} must not contain NUL";
            }
        }

        return null;
    }

    // NUL and the like in a path are the workspace's to refuse (invalid_path), not malformed requests.
    private static string? Path(string? path) => Required(path, "path");

    private static string? Required(string? value, string name) => value is null ? $"{name} must be a string, not null" : null;

    private static string? NoNul(string? value, string name) =>
        value is not null && value.Contains('\0', StringComparison.Ordinal) ? $"{name} must not contain NUL" : null;

    private static string? NotNegative(long value, string name) => value < 0 ? $"{name} must not be negative" : null;
}
