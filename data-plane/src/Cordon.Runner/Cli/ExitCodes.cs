namespace Cordon.Runner.Cli;

/// <summary>Process exit codes of <c>cordon-runner</c>.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    /// <summary><c>exec</c>: the program ran but did not succeed (see the JSON status).</summary>
    public const int JobNotSucceeded = 1;
    public const int Usage = 2;
    /// <summary>The runner could not run the sandbox at all.</summary>
    public const int InfrastructureError = 3;
}
