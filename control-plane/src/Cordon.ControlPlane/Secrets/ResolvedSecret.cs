namespace Cordon.ControlPlane.Secrets;

/// <summary>
/// A requested secret with its decrypted value, for one dispatch only: held in memory by the work item, given to the
/// runner, never stored, logged or serialised anywhere else.
/// </summary>
internal sealed record ResolvedSecret(string Name, byte[] Value, bool Env, bool File)
{
    // A record's generated ToString would print the value.
    public override string ToString() => $"ResolvedSecret {{ Name = {Name}, Env = {Env}, File = {File} }}";
}
