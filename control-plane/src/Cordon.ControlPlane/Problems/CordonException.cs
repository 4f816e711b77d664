namespace Cordon.ControlPlane.Problems;

/// <summary>A failure the client should hear about as a problem detail; mapped by <see cref="CordonExceptionHandler"/>.</summary>
internal abstract class CordonException(string message, Exception? innerException = null) : Exception(message, innerException)
{
    public abstract int StatusCode { get; }

    public abstract string ProblemType { get; }

    public abstract string Title { get; }
}
