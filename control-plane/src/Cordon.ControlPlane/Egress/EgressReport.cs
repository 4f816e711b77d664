using System.Globalization;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Runner.V1;
using Cordon.ControlPlane.Audit;
using Cordon.ControlPlane.Secrets.Redaction;
using Cordon.Logging;

namespace Cordon.ControlPlane.Egress;

/// <summary>
/// What the runner's egress proxy reports with an execution's result: every connection that ended during it, allowed
/// or denied, audited one by one; and the execution's <c>network</c> totals, summed from those connections (a
/// session's sandbox reports each connection once, with the execution it ended in).
/// </summary>
internal static class EgressReport
{
    // Host names come from the sandbox: bounded and escaped, and redacted (a name can carry a secret out).
    private const int MaxHostChars = 253;

    public static JobNetwork Sum(NetworkUsage network) => new()
    {
        Connections = network.Ended.Count,
        Denied = network.Ended.Count(c => !c.Allowed),
        BytesOut = network.Ended.Sum(c => c.BytesOut),
        BytesIn = network.Ended.Sum(c => c.BytesIn),
    };

    public static async Task AuditAsync(IAuditSink audit, string tenant, string? subject, string jobId, NetworkUsage network, SecretRedactor redactor, CancellationToken cancellationToken)
    {
        foreach (var connection in network.Ended)
        {
            await audit.WriteAsync(
                new AuditEvent(
                    connection.Allowed ? AuditActions.EgressAllow : AuditActions.EgressDeny, tenant, subject, jobId,
                    connection.Allowed ? "allowed" : "denied", Detail: Describe(connection, redactor)),
                cancellationToken);
            await AuditSecretsAsync(audit, tenant, subject, jobId, connection, redactor, cancellationToken);
        }
    }

    /// <summary>
    /// A proxy secret put in place (<c>secret.use</c>) and a placeholder sent toward a host it is not for
    /// (<c>secret.placeholder_leak</c>: not replaced, so only the placeholder went there), by name and destination.
    /// </summary>
    private static async Task AuditSecretsAsync(IAuditSink audit, string tenant, string? subject, string jobId, EgressConnection connection, SecretRedactor redactor, CancellationToken cancellationToken)
    {
        var destination = string.Create(CultureInfo.InvariantCulture, $"{LogText.Escape(redactor.Redact(connection.Host), MaxHostChars)}:{connection.Port}");
        foreach (var name in connection.SecretsUsed)
        {
            await audit.WriteAsync(
                new AuditEvent(AuditActions.SecretUse, tenant, subject, jobId, "substituted", Detail: $"secret={LogText.Escape(name, 64)} host={destination}"),
                cancellationToken);
        }

        foreach (var name in connection.PlaceholderLeaks)
        {
            await audit.WriteAsync(
                new AuditEvent(AuditActions.SecretPlaceholderLeak, tenant, subject, jobId, "not substituted", Detail:
                    $"secret={LogText.Escape(name, 64)} host={destination}: the placeholder was sent to a host the secret is not for"),
                cancellationToken);
        }
    }

    private static string Describe(EgressConnection connection, SecretRedactor redactor)
    {
        var host = LogText.Escape(redactor.Redact(connection.Host), MaxHostChars);
        var destination = string.Create(CultureInfo.InvariantCulture, $"{host}:{connection.Port}");
        var address = string.IsNullOrEmpty(connection.Address) ? "" : $" ({LogText.Escape(connection.Address, 64)})";
        return connection.Allowed
            ? string.Create(CultureInfo.InvariantCulture, $"{destination}{address} by rule {LogText.Escape(redactor.Redact(connection.Rule), MaxHostChars + 8)}: {connection.BytesOut} bytes out, {connection.BytesIn} in, {connection.DurationMs} ms")
            : $"{destination}{address}: {LogText.Escape(redactor.Redact(connection.Reason), 300)}";
    }
}
