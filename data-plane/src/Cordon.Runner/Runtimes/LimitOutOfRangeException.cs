namespace Cordon.Runner.Runtimes;

/// <summary>A requested limit is outside what the registry allows.</summary>
internal sealed class LimitOutOfRangeException(string message) : Exception(message);
