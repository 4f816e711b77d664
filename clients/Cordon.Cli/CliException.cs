namespace Cordon.Cli;

/// <summary>A failure the CLI explains in one line and maps to an exit code.</summary>
internal sealed class CliException(string message, int exitCode = ExitCodes.Error) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
