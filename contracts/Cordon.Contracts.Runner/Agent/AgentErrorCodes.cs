namespace Cordon.Contracts.Runner.Agent;

/// <summary>The <see cref="AgentError.Code"/> values.</summary>
public static class AgentErrorCodes
{
    /// <summary>The path is absolute, has <c>..</c>, or resolves outside <c>/workspace</c> (symlink).</summary>
    public const string InvalidPath = "invalid_path";
    public const string NotFound = "not_found";
    /// <summary>The file is larger than the request's limit.</summary>
    public const string TooLarge = "too_large";
    /// <summary>The workspace is full (ENOSPC, out of inodes) or the file is over the sandbox's file size limit.</summary>
    public const string NoSpace = "no_space";
    /// <summary>A name in the path is longer than the file system allows (ENAMETOOLONG).</summary>
    public const string NameTooLong = "name_too_long";
    /// <summary>The path names something that is not a regular file (a FIFO, a socket, a device).</summary>
    public const string NotAFile = "not_a_file";
    /// <summary>Another I/O failure: unexpected, the runner reports it as an internal error.</summary>
    public const string IoError = "io_error";
    /// <summary>The request could not be understood.</summary>
    public const string BadRequest = "bad_request";
    /// <summary>The program could not be started (no such file, not executable).</summary>
    public const string SpawnFailed = "spawn_failed";
}
