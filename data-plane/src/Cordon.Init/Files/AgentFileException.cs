using Cordon.Contracts.Runner.Agent;

namespace Cordon.Init.Files;

/// <summary>A file operation failed for a reason the caller can act on; <see cref="Code"/> is one of <see cref="AgentErrorCodes"/>.</summary>
internal sealed class AgentFileException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;

    public static AgentFileException NoSpace(string message) => new(AgentErrorCodes.NoSpace, message);

    public static AgentFileException NameTooLong(string path) =>
        new(AgentErrorCodes.NameTooLong, $"'{WorkspacePath.Display(path)}': a name is longer than {WorkspacePath.MaxNameBytes} bytes or the path longer than {WorkspacePath.MaxPathBytes}");

    public static AgentFileException NotAFile(string path, string what) =>
        new(AgentErrorCodes.NotAFile, $"'{WorkspacePath.Display(path)}' is {what}, not a regular file");
}
