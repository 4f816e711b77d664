namespace Cordon.Init.Server;

/// <summary>The request could not be understood; the message says what is wrong, in the protocol's terms.</summary>
internal sealed class BadAgentRequestException(string message) : Exception(message);
