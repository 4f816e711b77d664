using System.Security.Cryptography;
using System.Text.Json;
using Cordon.ControlPlane.Sessions;

namespace Cordon.ControlPlane.Secrets.Redaction;

/// <summary>
/// A session's redactor wherever its request lands: the one made at create (<see cref="SessionRedactors"/>, this
/// replica's memory), else rebuilt from the store by the session's <see cref="SessionSecretRef"/>s — after a
/// restart, or on another replica — and kept. A value changed since the session started fails closed.
/// </summary>
internal sealed class SessionRedaction(SessionRedactors known, SecretStore store, SecretCipher cipher)
{
    /// <summary>What a session stores of the secrets given to its sandbox (null: none).</summary>
    public static string? RefsOf(IReadOnlyList<ResolvedSecret> injected) =>
        injected.Count == 0
            ? null
            : JsonSerializer.Serialize(injected.Select(s => new SessionSecretRef(s.Name, s.CiphertextSha256)).ToList(), ControlPlaneJsonContext.Default.ListSessionSecretRef);

    public static string Digest(byte[] ciphertext) => Convert.ToHexStringLower(SHA256.HashData(ciphertext));

    public async ValueTask<SecretRedactor> ForAsync(SessionEntity session, CancellationToken cancellationToken)
    {
        if (known.TryGet(session.Id, out var redactor) || session.SecretRefsJson is null)
        {
            return redactor;
        }

        var refs = JsonSerializer.Deserialize(session.SecretRefsJson, ControlPlaneJsonContext.Default.ListSessionSecretRef) ?? [];
        var rows = (await store.FindAsync(session.TenantId, [.. refs.Select(r => r.Name)], cancellationToken)).ToDictionary(r => r.Name, StringComparer.Ordinal);
        var values = new List<KeyValuePair<string, byte[]>>(refs.Count);
        foreach (var secret in refs)
        {
            if (!rows.TryGetValue(secret.Name, out var row) || Digest(row.Ciphertext) != secret.CiphertextSha256)
            {
                throw new SessionRedactionUnavailableException(session.Id, secret.Name);
            }

            values.Add(new(secret.Name, await cipher.OpenAsync(session.TenantId, secret.Name, SealedSecret.Of(row), cancellationToken)));
        }

        redactor = SecretRedactor.For(values);
        known.Attach(session.Id, redactor);
        return redactor;
    }
}
