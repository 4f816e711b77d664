namespace Cordon.TestSupport;

/// <summary>A finished child process: its exit code and its output, apart and interleaved.</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr, string Output);
