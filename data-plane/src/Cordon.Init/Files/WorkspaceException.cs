using System.Runtime.InteropServices;
using Cordon.Contracts.Runner.Agent;
using Cordon.Init.Native;

namespace Cordon.Init.Files;

/// <summary>A file request failed; <see cref="Code"/> is an agent error code.</summary>
internal sealed class WorkspaceException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;

    /// <summary>Maps an errno from a confined file operation to the error the runner sees.</summary>
    public static WorkspaceException FromErrno(int errno, string path) => errno switch
    {
        Libc.EXDEV or Libc.ELOOP => new(AgentErrorCodes.InvalidPath, $"'{path}' leads outside the workspace or through a symbolic link."),
        Libc.ENOENT => new(AgentErrorCodes.NotFound, $"'{path}' does not exist."),
        Libc.ENOTDIR => new(AgentErrorCodes.NotFound, $"A parent of '{path}' is not a directory."),
        Libc.EISDIR => new(AgentErrorCodes.IoError, $"'{path}' is a directory."),
        Libc.ENOSPC => new(AgentErrorCodes.IoError, "The workspace is full."),
        _ => new(AgentErrorCodes.IoError, $"'{path}': {Marshal.GetPInvokeErrorMessage(errno)}."),
    };
}
