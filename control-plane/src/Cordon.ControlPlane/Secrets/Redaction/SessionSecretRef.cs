namespace Cordon.ControlPlane.Secrets.Redaction;

/// <summary>
/// Which stored value a session's sandbox was given: the secret's name and the SHA-256 of its stored ciphertext
/// (which says nothing of the value, and which a master-key rotation leaves as it is). Kept with the session, so any
/// replica can rebuild the session's redactor from the store — and knows when the value has changed since.
/// </summary>
internal sealed record SessionSecretRef(string Name, string CiphertextSha256);
