namespace Cordon.Runner.Execution;

/// <summary>The request cannot run as asked (bad path, no REPL for the language, missing text…).</summary>
internal sealed class BadExecRequestException(string message) : Exception(message);
