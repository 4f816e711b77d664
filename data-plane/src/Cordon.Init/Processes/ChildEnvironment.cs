using Cordon.Contracts.Runner.Agent;

namespace Cordon.Init.Processes;

/// <summary>Builds a child's environment from scratch (nothing of the agent's leaks) and finds its program.</summary>
internal static class ChildEnvironment
{
    public static Dictionary<string, string> Build(string workspace, IReadOnlyDictionary<string, string>? requested)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
            ["HOME"] = workspace,
            ["LANG"] = "C.UTF-8",
        };
        // A request that omits Env deserializes it as null (source-generated JSON with required members).
        foreach (var (name, value) in requested ?? new Dictionary<string, string>())
        {
            if (name.Length == 0 || name.Contains('=', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal) || value.Contains('\0', StringComparison.Ordinal))
            {
                throw new SpawnException(AgentErrorCodes.BadRequest, $"Invalid environment variable name or value: '{name}'.");
            }

            env[name] = value;
        }

        return env;
    }

    /// <summary>Maps the protocol's <c>/workspace</c> onto the agent's workspace directory (they differ in tests).</summary>
    public static string ResolveCwd(string workspace, string? cwd)
    {
        if (string.IsNullOrEmpty(cwd) || cwd == "/workspace")
        {
            return workspace;
        }

        if (cwd.StartsWith("/workspace/", StringComparison.Ordinal))
        {
            return Path.Join(workspace, cwd["/workspace/".Length..]);
        }

        return Path.IsPathRooted(cwd) ? cwd : Path.Join(workspace, cwd);
    }

    /// <summary>Searches the child's PATH the way <c>execvp</c> would; a name with a slash is used as given.</summary>
    public static string ResolveProgram(string program, IReadOnlyDictionary<string, string> env)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return program;
        }

        var path = env.TryGetValue("PATH", out var value) ? value : "";
        foreach (var directory in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Join(directory, program);
            if (File.Exists(candidate) && IsExecutable(candidate))
            {
                return candidate;
            }
        }

        throw new SpawnException(AgentErrorCodes.SpawnFailed, $"'{program}' was not found on PATH ({path}).");
    }

    private static bool IsExecutable(string path) =>
        (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
