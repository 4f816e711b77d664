namespace Cordon.Runner.Oci;

/// <summary>The OCI runtime failed a verb; the message carries its stderr.</summary>
internal sealed class OciRuntimeException(string message) : Exception(message);
