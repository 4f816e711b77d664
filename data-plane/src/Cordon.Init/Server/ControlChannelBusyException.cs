namespace Cordon.Init.Server;

/// <summary>A receive on the control channel failed for want of memory or fds: transient, the caller retries.</summary>
internal sealed class ControlChannelBusyException(string message) : IOException(message);
