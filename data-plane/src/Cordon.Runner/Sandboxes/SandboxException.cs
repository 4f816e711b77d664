namespace Cordon.Runner.Sandboxes;

/// <summary>Why a sandbox request failed, mapped by the gRPC layer to a status code.</summary>
internal sealed class SandboxException(SandboxError error, string message, Exception? inner = null) : Exception(message, inner)
{
    public SandboxError Error { get; } = error;
}

internal enum SandboxError
{
    NotFound,
    InvalidArgument,
    AtCapacity,
    ShuttingDown,
    Internal,
}
