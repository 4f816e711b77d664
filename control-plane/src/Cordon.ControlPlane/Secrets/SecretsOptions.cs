namespace Cordon.ControlPlane.Secrets;

/// <summary><c>Cordon:Secrets</c>: where the master key that wraps every secret's data key lives.</summary>
internal sealed class SecretsOptions
{
    public const string SectionName = "Cordon:Secrets";

    /// <summary>
    /// A file holding the master key (32 random bytes, base64), 0600, never in the database. Unset: this deployment
    /// has no secret store (the secrets API and jobs asking for secrets answer 501). It also wraps the jobs' workspace
    /// data keys; unset, those are kept unwrapped in the database (artifacts are still encrypted per job; a warning at start).
    /// </summary>
    public string? MasterKeyFile { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(MasterKeyFile);
}
