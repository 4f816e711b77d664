namespace Cordon.Runner.Oci;

/// <summary>The OCI runtime refused or failed a verb; the message carries its own words.</summary>
internal sealed class OciRuntimeException(string message) : Exception(message);
