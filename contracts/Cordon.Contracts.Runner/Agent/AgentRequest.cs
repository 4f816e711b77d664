using System.Text.Json.Serialization;

namespace Cordon.Contracts.Runner.Agent;

/// <summary>A request from the runner to <c>cordon-init</c>; the first frame of a connection.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(AgentHealthQuery), "health")]
[JsonDerivedType(typeof(AgentSpawn), "spawn")]
[JsonDerivedType(typeof(AgentRepl), "repl")]
[JsonDerivedType(typeof(AgentWriteFile), "write")]
[JsonDerivedType(typeof(AgentReadFile), "read")]
[JsonDerivedType(typeof(AgentListFiles), "list")]
[JsonDerivedType(typeof(AgentDeleteFile), "delete")]
[JsonDerivedType(typeof(AgentWriteSecrets), "secrets")]
public abstract record AgentRequest;

// Missing members deserialize as null/0 (the source generator does not run initializers for init-only
// members), so every optional member is nullable and the agent applies the defaults.

/// <summary>Asks for <see cref="AgentHealth"/>.</summary>
public sealed record AgentHealthQuery : AgentRequest;

/// <summary>
/// Starts a process in a new session and process group, streams its output as Stdout/Stderr frames and ends
/// with <see cref="AgentExit"/>. On exit, timeout, output limit or a closed connection the agent kills the
/// process group and every other process the request left behind.
/// </summary>
public sealed record AgentSpawn : AgentRequest
{
    public required IReadOnlyList<string> Argv { get; init; }
    public IReadOnlyDictionary<string, string>? Env { get; init; }
    /// <summary>Working directory; null means the workspace.</summary>
    public string? Cwd { get; init; }
    public byte[]? Stdin { get; init; }
    public long TimeoutMs { get; init; }
    public long OutputBytes { get; init; }
}

/// <summary>
/// Runs code in the persistent interpreter started with <see cref="Argv"/> (started on first use, kept between
/// requests; killed, and so reset, by a timeout). Replies like <see cref="AgentSpawn"/>.
/// </summary>
public sealed record AgentRepl : AgentRequest
{
    public required IReadOnlyList<string> Argv { get; init; }
    public required string Code { get; init; }
    public IReadOnlyDictionary<string, string>? Env { get; init; }
    public byte[]? Stdin { get; init; }
    public long TimeoutMs { get; init; }
    public long OutputBytes { get; init; }
}

/// <summary>Writes a file under <c>/workspace</c>, creating parent directories. Replies <see cref="AgentOk"/>.</summary>
public sealed record AgentWriteFile : AgentRequest
{
    public required string Path { get; init; }
    public required byte[] Content { get; init; }
    /// <summary>Permission bits for a new file; 0 means 0644.</summary>
    public int Mode { get; init; }
}

/// <summary>Reads a file under <c>/workspace</c>. Replies <see cref="AgentFileContent"/>.</summary>
public sealed record AgentReadFile : AgentRequest
{
    public required string Path { get; init; }
    public long MaxBytes { get; init; }
}

/// <summary>Lists a directory under <c>/workspace</c> recursively. Replies <see cref="AgentFileList"/>.</summary>
public sealed record AgentListFiles : AgentRequest
{
    /// <summary>Directory relative to the workspace; null or empty for the workspace itself.</summary>
    public string? Path { get; init; }
}

/// <summary>Deletes a file or directory tree under <c>/workspace</c>. Replies <see cref="AgentOk"/>.</summary>
public sealed record AgentDeleteFile : AgentRequest
{
    public required string Path { get; init; }
}

/// <summary>
/// Writes the sandbox's file secrets as <c>/run/secrets/NAME</c> (a tmpfs of their own), each 0400 and the job's,
/// then makes the directory 0500. Sent once, right after the sandbox starts. Replies <see cref="AgentOk"/>.
/// </summary>
public sealed record AgentWriteSecrets : AgentRequest
{
    public required IReadOnlyList<AgentSecretFile> Files { get; init; }

    // The generated ToString would print the values.
    public override string ToString() => $"AgentWriteSecrets {{ Files = {Files.Count} }}";
}

/// <summary>One file secret: its name (<c>^[A-Z_][A-Z0-9_]{0,63}$</c>) and value.</summary>
public sealed record AgentSecretFile
{
    public required string Name { get; init; }
    public required byte[] Content { get; init; }

    public override string ToString() => $"AgentSecretFile {{ Name = {Name} }}";
}
