namespace Cordon.ControlPlane.Secrets.Redaction;

/// <summary>
/// Builds the <see cref="SecretRedactor"/> of a job or session from the values it is given
/// (<see cref="ISecretValueSource"/>), on the creation path: the work item carries it to every output path.
/// </summary>
internal sealed class SecretRedactors(ISecretValueSource? source = null)
{
    public async ValueTask<SecretRedactor> ForAsync(string tenant, string ownerId, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        if (source is null)
        {
            return SecretRedactor.None;
        }

        var values = await source.GetValuesAsync(tenant, ownerId, names, cancellationToken);
        return values.Count == 0 ? SecretRedactor.None : SecretRedactor.For(values);
    }
}
