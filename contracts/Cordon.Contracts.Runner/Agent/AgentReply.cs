using System.Text.Json.Serialization;

namespace Cordon.Contracts.Runner.Agent;

/// <summary>A reply from <c>cordon-init</c>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(AgentHealth), "health")]
[JsonDerivedType(typeof(AgentExit), "exit")]
[JsonDerivedType(typeof(AgentFileContent), "content")]
[JsonDerivedType(typeof(AgentFileList), "entries")]
[JsonDerivedType(typeof(AgentOk), "ok")]
[JsonDerivedType(typeof(AgentError), "error")]
public abstract record AgentReply;

/// <summary>The agent is alive.</summary>
public sealed record AgentHealth : AgentReply
{
    public required int ProtocolVersion { get; init; }
    public required string Version { get; init; }
    public required long UptimeMs { get; init; }
}

/// <summary>How a spawned process (or a REPL execution) ended.</summary>
public sealed record AgentExit : AgentReply
{
    /// <summary>Exit code when the process exited (REPL: 0 ok, 1 uncaught exception).</summary>
    public int? ExitCode { get; init; }
    /// <summary>Signal name (<c>SIGKILL</c>…) when a signal ended it.</summary>
    public string? Signal { get; init; }
    public bool TimedOut { get; init; }
    public bool OutputLimited { get; init; }
    public bool StdoutTruncated { get; init; }
    public bool StderrTruncated { get; init; }
    public required long StartedAtUnixMs { get; init; }
    public required long DurationMs { get; init; }
}

/// <summary>A file's content.</summary>
public sealed record AgentFileContent : AgentReply
{
    public required byte[] Content { get; init; }
}

/// <summary>Entries of a directory, recursively, paths relative to <c>/workspace</c>.</summary>
public sealed record AgentFileList : AgentReply
{
    public required IReadOnlyList<AgentFileEntry> Entries { get; init; }
}

/// <summary>One entry of <see cref="AgentFileList"/>.</summary>
public sealed record AgentFileEntry(string Path, long Size, bool IsDirectory, long ModifiedAtUnixMs);

/// <summary>The request succeeded and has nothing to return.</summary>
public sealed record AgentOk : AgentReply;

/// <summary>The request failed; <see cref="Code"/> is one of <see cref="AgentErrorCodes"/>.</summary>
public sealed record AgentError : AgentReply
{
    public required string Code { get; init; }
    public required string Message { get; init; }
}
