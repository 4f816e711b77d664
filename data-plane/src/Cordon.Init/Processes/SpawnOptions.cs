namespace Cordon.Init.Processes;

/// <summary>What to start: <see cref="ReplFds"/> adds fd 3 (requests in) and fd 4 (completions out) for a REPL driver.</summary>
internal sealed record SpawnOptions(
    IReadOnlyList<string> Argv,
    IReadOnlyDictionary<string, string>? Env,
    string? Cwd,
    bool ReplFds);
