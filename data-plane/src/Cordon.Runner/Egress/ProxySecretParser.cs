using Cordon.Runner.Execution;
using RunnerV1 = Cordon.Contracts.Runner.V1;

namespace Cordon.Runner.Egress;

/// <summary>
/// A sandbox request's proxy secrets, checked: a placeholder that cannot be mistaken (long, URL- and header-safe,
/// unique), hosts that are exact <c>host:port</c> entries the sandbox's allowlist admits, and a value that is one
/// header line (no CR, LF or NUL: it is written into request heads). Anything else refuses the sandbox (InvalidArgument).
/// </summary>
internal static class ProxySecretParser
{
    private const int MinPlaceholderLength = 16;

    public static ProxySecrets Parse(IReadOnlyList<RunnerV1.Secret> secrets, IReadOnlyList<EgressRule> allowlist)
    {
        var parsed = new List<ProxySecret>();
        foreach (var secret in secrets.Where(s => s.Proxy))
        {
            if (secret.File)
            {
                throw new BadExecRequestException($"secret {secret.Name}: a proxy secret never enters the sandbox, so it cannot be a file");
            }

            var placeholder = secret.Placeholder;
            if (placeholder.Length < MinPlaceholderLength || !placeholder.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                throw new BadExecRequestException($"secret {secret.Name}: the placeholder must be at least {MinPlaceholderLength} letters, digits, '-' or '_'");
            }

            if (parsed.Any(p => p.Placeholder.Contains(placeholder, StringComparison.Ordinal) || placeholder.Contains(p.Placeholder, StringComparison.Ordinal)))
            {
                throw new BadExecRequestException($"secret {secret.Name}: its placeholder overlaps another secret's");
            }

            var value = secret.Value.ToByteArray();
            if (value.Length == 0 || value.AsSpan().IndexOfAny((byte)'\r', (byte)'\n', (byte)0) >= 0)
            {
                throw new BadExecRequestException($"secret {secret.Name}: a proxy secret's value goes into a request header, so it must be non-empty and hold no CR, LF or NUL");
            }

            if (secret.Hosts.Count == 0)
            {
                throw new BadExecRequestException($"secret {secret.Name}: a proxy secret needs its hosts");
            }

            var hosts = new List<EgressRule>();
            foreach (var entry in secret.Hosts)
            {
                if (entry.StartsWith("*.", StringComparison.Ordinal) || !EgressRule.TryParse(entry, out var rule, out _))
                {
                    throw new BadExecRequestException($"secret {secret.Name}: host '{entry}' is not host:port");
                }

                if (HostNames.Normalize(entry[..entry.LastIndexOf(':')]) is not { IsValid: true } host || !allowlist.Any(r => r.Matches(host, rule.Port)))
                {
                    throw new BadExecRequestException($"secret {secret.Name}: host '{entry}' is not in the sandbox's egress");
                }

                hosts.Add(rule);
            }

            parsed.Add(new ProxySecret(secret.Name, placeholder, value, hosts));
        }

        return parsed.Count == 0 ? ProxySecrets.None : new ProxySecrets(parsed);
    }
}
