namespace Cordon.Contracts.Runner.Agent;

/// <summary>The <see cref="AgentError.Code"/> values.</summary>
public static class AgentErrorCodes
{
    /// <summary>The path is absolute, has <c>..</c>, or resolves outside <c>/workspace</c> (symlink).</summary>
    public const string InvalidPath = "invalid_path";
    public const string NotFound = "not_found";
    /// <summary>The file is larger than the request's limit.</summary>
    public const string TooLarge = "too_large";
    /// <summary>The workspace is full (ENOSPC) or another I/O failure.</summary>
    public const string IoError = "io_error";
    /// <summary>The request could not be understood.</summary>
    public const string BadRequest = "bad_request";
    /// <summary>The program could not be started (no such file, not executable).</summary>
    public const string SpawnFailed = "spawn_failed";
}
