namespace Cordon.Runner.Sandboxes;

/// <summary>The language is not in the runtimes registry.</summary>
internal sealed class UnknownLanguageException(string language, IEnumerable<string> known)
    : Exception($"unknown language '{language}'; known: {string.Join(", ", known)}");
