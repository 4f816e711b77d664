namespace Cordon.ControlPlane.Secrets;

/// <summary>
/// A requested secret with its decrypted value, for one dispatch only: held in memory by the work item, given to the
/// runner, never stored, logged or serialised anywhere else.
/// </summary>
internal sealed record ResolvedSecret(string Name, byte[] Value, bool Env, bool File)
{
    /// <summary>SHA-256 of the stored ciphertext the value came from: which stored value this is (<c>SessionSecretRef</c>).</summary>
    public string CiphertextSha256 { get; init; } = "";

    // A record's generated ToString would print the value.
    public override string ToString() => $"ResolvedSecret {{ Name = {Name}, Env = {Env}, File = {File} }}";
}
