using System.Text;
using Cordon.Contracts.Secrets;
using Cordon.ControlPlane.Audit;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.Policy;
using Cordon.ControlPlane.Problems;

namespace Cordon.ControlPlane.Secrets;

/// <summary>The secrets API's work for the caller's tenant: validate, seal, store, list (never values), delete — audited.</summary>
internal sealed class SecretsAdmin(SecretStore store, SecretCipher cipher, IKeyWrapper wrapper, RequestContext context, IAuditSink audit)
{
    public const int MaxValueBytes = 64 * 1024;

    public async Task PutAsync(string name, PutSecretRequest request, CancellationToken cancellationToken)
    {
        CheckName(name);
        var value = Encoding.UTF8.GetBytes(request.Value);
        if (value.Length == 0)
        {
            throw RequestValidationException.For("value", "A secret's value must not be empty.");
        }

        if (value.Length > MaxValueBytes)
        {
            throw RequestValidationException.For("value", $"A secret's value is at most {MaxValueBytes} bytes of UTF-8; this one is {value.Length}.");
        }

        if (request.Value.Contains('\0', StringComparison.Ordinal))
        {
            throw RequestValidationException.For("value", "A secret's value must not contain NUL characters (it becomes an environment variable).");
        }

        EnsureAvailable();
        var tenant = context.RequiredTenant;
        var sealedSecret = await cipher.SealAsync(tenant, name, value, cancellationToken);
        await store.PutAsync(tenant, name, sealedSecret, cancellationToken);
        await audit.WriteAsync(new AuditEvent(AuditActions.SecretPut, tenant, context.Subject, name, "stored", context.AuthBypassed), cancellationToken);
    }

    public async Task<IReadOnlyList<SecretInfo>> ListAsync(CancellationToken cancellationToken)
    {
        EnsureAvailable();
        var rows = await store.ListAsync(context.RequiredTenant, cancellationToken);
        return [.. rows.Select(r => new SecretInfo { Name = r.Name, CreatedAt = r.CreatedAt, UpdatedAt = r.UpdatedAt })];
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        CheckName(name);
        EnsureAvailable();
        var tenant = context.RequiredTenant;
        await store.DeleteAsync(tenant, name, cancellationToken);
        await audit.WriteAsync(new AuditEvent(AuditActions.SecretDelete, tenant, context.Subject, name, "deleted", context.AuthBypassed), cancellationToken);
    }

    private static void CheckName(string name)
    {
        if (!SecretNames.IsValid(name))
        {
            throw RequestValidationException.For("name", $"A secret name is {SecretNames.Rule} characters (^[A-Z_][A-Z0-9_]{{0,63}}$).");
        }
    }

    private void EnsureAvailable()
    {
        if (!wrapper.Available)
        {
            throw new SecretStoreDisabledException();
        }
    }
}
