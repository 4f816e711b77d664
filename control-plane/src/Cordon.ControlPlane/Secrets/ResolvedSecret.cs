namespace Cordon.ControlPlane.Secrets;

/// <summary>
/// A requested secret with its decrypted value, for one dispatch only: held in memory by the work item, given to the
/// runner, never stored, logged or serialised anywhere else.
/// </summary>
internal sealed record ResolvedSecret(string Name, byte[] Value, bool Env, bool File)
{
    /// <summary>Proxy mode: the sandbox gets <see cref="Placeholder"/>; the runner's proxy puts the value in headers to <see cref="Hosts"/>.</summary>
    public bool Proxy { get; init; }

    /// <summary>With <see cref="Proxy"/>: random, new for every sandbox (<c>cordon-ph-</c> and 32 hex digits).</summary>
    public string Placeholder { get; init; } = "";

    public IReadOnlyList<string> Hosts { get; init; } = [];

    /// <summary>SHA-256 of the stored ciphertext the value came from: which stored value this is (<c>SessionSecretRef</c>).</summary>
    public string CiphertextSha256 { get; init; } = "";

    // A record's generated ToString would print the value.
    public override string ToString() => $"ResolvedSecret {{ Name = {Name}, Env = {Env}, File = {File}, Proxy = {Proxy} }}";
}
