using Cordon.ControlPlane.Audit;
using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Secrets.Redaction;
using Google.Protobuf;
using RunnerV1 = Cordon.Contracts.Runner.V1;

namespace Cordon.ControlPlane.Secrets;

/// <summary>
/// Secrets at admission and at dispatch: <see cref="EnsureExistAsync"/> answers 404 at once for a name the tenant does
/// not have (another tenant's included); <see cref="ResolveAsync"/> reads and decrypts the values when the work is
/// handed to a runner, and audits each injection (name and job or session, never the value).
/// </summary>
internal sealed class SecretResolver(SecretStore store, SecretCipher cipher, IKeyWrapper wrapper, IAuditSink audit)
{
    public async Task EnsureExistAsync(string tenant, IReadOnlyList<RequestedSecret> requested, CancellationToken cancellationToken)
    {
        if (requested.Count == 0)
        {
            return;
        }

        if (!wrapper.Available)
        {
            throw new SecretStoreDisabledException();
        }

        var names = requested.Select(r => r.Name).ToList();
        var found = (await store.FindAsync(tenant, names, cancellationToken)).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var missing = names.Where(n => !found.Contains(n)).ToList();
        if (missing.Count > 0)
        {
            throw new NotFoundException($"There is no secret {string.Join(", ", missing.Select(n => $"'{n}'"))}; store it with PUT /v1/secrets/{{name}} first.");
        }
    }

    /// <summary>The values of <paramref name="requested"/> for the sandbox of <paramref name="resourceId"/> (a job or session id).</summary>
    public async Task<IReadOnlyList<ResolvedSecret>> ResolveAsync(string tenant, string subject, string resourceId, IReadOnlyList<RequestedSecret> requested, CancellationToken cancellationToken)
    {
        if (requested.Count == 0)
        {
            return [];
        }

        if (!wrapper.Available)
        {
            throw new SecretStoreDisabledException();
        }

        var rows = (await store.FindAsync(tenant, [.. requested.Select(r => r.Name)], cancellationToken)).ToDictionary(r => r.Name, StringComparer.Ordinal);
        var resolved = new List<ResolvedSecret>(requested.Count);
        foreach (var secret in requested)
        {
            if (!rows.TryGetValue(secret.Name, out var row))
            {
                throw new NotFoundException($"The secret '{secret.Name}' was deleted after the request was accepted; it was not injected.");
            }

            var value = await cipher.OpenAsync(tenant, secret.Name, SealedSecret.Of(row), cancellationToken);
            resolved.Add(new ResolvedSecret(secret.Name, value, secret.Env, secret.File)
            {
                CiphertextSha256 = SessionRedaction.Digest(row.Ciphertext),
                Proxy = secret.Proxy,
                Placeholder = secret.Proxy ? NewPlaceholder() : "",
                Hosts = secret.Hosts,
            });
        }

        foreach (var secret in resolved)
        {
            await audit.WriteAsync(new AuditEvent(AuditActions.SecretInject, tenant, subject, resourceId, "injected", Detail: secret.Proxy
                ? $"secret={secret.Name} mode=proxy hosts={string.Join(',', secret.Hosts)}"
                : $"secret={secret.Name} env={(secret.Env ? "yes" : "no")} file={(secret.File ? "yes" : "no")}"), cancellationToken);
        }

        return resolved;
    }

    /// <summary>The runner's form: each value for this one sandbox.</summary>
    /// <summary>The redactor for exactly these values: what a sandbox is given is what its output is cleaned of.</summary>
    public static SecretRedactor RedactorFor(IReadOnlyList<ResolvedSecret> resolved) =>
        SecretRedactor.For(resolved.Select(s => new KeyValuePair<string, byte[]>(s.Name, s.Value)));

    public static IEnumerable<RunnerV1.Secret> ToRunner(IReadOnlyList<ResolvedSecret> resolved) =>
        resolved.Select(s => new RunnerV1.Secret
        {
            Name = s.Name,
            Value = ByteString.CopyFrom(s.Value),
            Env = s.Env,
            File = s.File,
            Proxy = s.Proxy,
            Placeholder = s.Placeholder,
            Hosts = { s.Hosts },
        });

    /// <summary>
    /// A proxy secret's stand-in: 128 random bits, so it names nothing and cannot be guessed into another sandbox's
    /// requests. Not a secret itself (the program holds it); the value is what the proxy writes in its place.
    /// </summary>
    public static string NewPlaceholder() => "cordon-ph-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}
