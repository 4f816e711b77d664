namespace Cordon.Init.Files;

/// <summary>A read would return more than its limit.</summary>
internal sealed class FileTooLargeException(string message) : Exception(message);
