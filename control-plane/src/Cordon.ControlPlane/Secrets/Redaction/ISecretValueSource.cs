namespace Cordon.ControlPlane.Secrets.Redaction;

/// <summary>
/// Where the values of the secrets a job or session is given come from — the seam the secret store implements, and the
/// one place the redactor learns them. Values are held in memory for the job or session only, never stored with it.
/// Without an implementation registered nothing is injected, so there is nothing to redact.
/// </summary>
internal interface ISecretValueSource
{
    /// <summary>
    /// The values (name → value) of the named secrets of <paramref name="tenant"/> that a job or session with id
    /// <paramref name="ownerId"/> is given.
    /// </summary>
    ValueTask<IReadOnlyDictionary<string, string>> GetValuesAsync(string tenant, string ownerId, IReadOnlyList<string> names, CancellationToken cancellationToken);
}
