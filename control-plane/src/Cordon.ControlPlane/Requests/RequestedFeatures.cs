using Cordon.Contracts.Jobs;
using Cordon.Contracts.Secrets;
using Cordon.ControlPlane.Policy;
using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Secrets;

namespace Cordon.ControlPlane.Requests;

/// <summary>
/// A request's <c>network.egress</c>, <c>dependencies</c> and <c>secrets</c>, checked for form (400 when malformed) and
/// parsed for the policy, which decides whether they are allowed. <see cref="Secrets"/> are the names the policy sees;
/// <see cref="SecretRequests"/> say where each goes.
/// </summary>
internal sealed record RequestedFeatures(IReadOnlyList<string> Egress, IReadOnlyList<PolicyDependency> Dependencies, IReadOnlyList<string> Secrets)
{
    public const int MaxEntries = 64;

    public static readonly RequestedFeatures None = new([], [], []);

    public IReadOnlyList<RequestedSecret> SecretRequests { get; init; } = [];

    public bool Any => Egress.Count > 0 || Dependencies.Count > 0 || Secrets.Count > 0;

    public static RequestedFeatures Parse(string? language, NetworkRequest? network, IReadOnlyList<string>? dependencies, IReadOnlyList<SecretRequest>? secrets, ValidationErrors errors)
    {
        var egress = new List<string>();
        var requested = network?.Egress ?? [];
        if (requested.Count > MaxEntries)
        {
            errors.Add("network.egress", $"At most {MaxEntries} destinations are allowed.");
        }

        for (var i = 0; i < requested.Count && i < MaxEntries; i++)
        {
            if (EgressPattern.Parse(requested[i], allowWildcard: false, out var problem) is { } destination)
            {
                egress.Add(destination.ToString());
            }
            else
            {
                errors.Add($"network.egress[{i}]", problem + ".");
            }
        }

        var packages = new List<PolicyDependency>();
        var asked = dependencies ?? [];
        if (asked.Count > MaxEntries)
        {
            errors.Add("dependencies", $"At most {MaxEntries} packages are allowed.");
        }

        for (var i = 0; i < asked.Count && i < MaxEntries && language is not null; i++)
        {
            if (DependencySpec.Parse(language, asked[i], out var problem) is { } spec)
            {
                packages.Add(new PolicyDependency { Spec = asked[i].Trim(), Name = spec.Name, Version = spec.Version, Constraint = spec.Constraint, ToolSpec = spec.ToolSpec(language) });
            }
            else
            {
                errors.Add($"dependencies[{i}]", problem + ".");
            }
        }

        var names = secrets ?? [];
        if (names.Count > MaxEntries)
        {
            errors.Add("secrets", $"At most {MaxEntries} secrets are allowed.");
        }

        var requestedSecrets = new List<RequestedSecret>();
        for (var i = 0; i < names.Count && i < MaxEntries; i++)
        {
            if (ParseSecret(names[i], $"secrets[{i}]", errors) is not { } secret)
            {
                continue;
            }

            if (requestedSecrets.Any(s => s.Name == secret.Name))
            {
                errors.Add($"secrets[{i}]", $"'{secret.Name}' is asked for twice; ask once, with every place it goes.");
                continue;
            }

            requestedSecrets.Add(secret);
        }

        // A proxy secret's hosts are destinations the sandbox must reach: they join the egress the policy decides on,
        // so a host the tenant's policy does not allow refuses the request (403) like any other destination.
        egress.AddRange(requestedSecrets.SelectMany(s => s.Hosts));
        return new RequestedFeatures(egress.Distinct(StringComparer.Ordinal).ToList(), packages, [.. requestedSecrets.Select(s => s.Name)])
        {
            SecretRequests = requestedSecrets,
        };
    }

    private static RequestedSecret? ParseSecret(SecretRequest? request, string field, ValidationErrors errors)
    {
        if (request is null)
        {
            errors.Add(field, "A secret is a name or an object { \"name\", \"env\", \"file\", \"mode\", \"hosts\" }, not null.");
            return null;
        }

        if (!SecretNames.IsValid(request.Name))
        {
            errors.Add(field, $"'{request.Name}' is not a secret name ({SecretNames.Rule}).");
            return null;
        }

        var proxy = string.Equals(request.Mode, SecretRequest.ProxyMode, StringComparison.Ordinal);
        if (request.Mode is not null && !proxy && !string.Equals(request.Mode, SecretRequest.EnvMode, StringComparison.Ordinal))
        {
            errors.Add(field + ".mode", $"'{request.Mode}' is not a mode; use 'env' (the value enters the sandbox) or 'proxy'.");
            return null;
        }

        if (proxy)
        {
            return ParseProxySecret(request, field, errors);
        }

        if (request.Hosts is not null)
        {
            errors.Add(field + ".hosts", "Only a proxy secret (\"mode\": \"proxy\") has hosts; an environment or file secret goes into the sandbox itself.");
            return null;
        }

        var env = request.Env ?? true;
        var file = request.File ?? false;

        if (!proxy && !env && !file)
        {
            errors.Add(field, $"'{request.Name}' would go nowhere: set \"env\": true or \"file\": true.");
            return null;
        }

        return new RequestedSecret(request.Name, env, file, Proxy: false);
    }

    /// <summary>
    /// <c>{ "name", "mode": "proxy", "hosts": ["host:port", …] }</c>: the variable holds a placeholder (so <c>env</c> may
    /// be true, never false), never a file, and at least one exact destination.
    /// </summary>
    private static RequestedSecret? ParseProxySecret(SecretRequest request, string field, ValidationErrors errors)
    {
        if (request.File is true)
        {
            errors.Add(field + ".file", "A proxy secret never enters the sandbox, so it cannot be a file: remove \"file\" or use \"mode\": \"env\".");
            return null;
        }

        if (request.Env is false)
        {
            errors.Add(field + ".env", "A proxy secret's environment variable holds its placeholder, which the program sends in place of the value: remove \"env\": false.");
            return null;
        }

        var asked = request.Hosts ?? [];
        if (asked.Count == 0)
        {
            errors.Add(field + ".hosts", "A proxy secret needs \"hosts\": the host:port destinations whose request headers get the value, e.g. [\"api.example.com:443\"].");
            return null;
        }

        if (asked.Count > MaxEntries)
        {
            errors.Add(field + ".hosts", $"At most {MaxEntries} hosts are allowed.");
            return null;
        }

        var hosts = new List<string>(asked.Count);
        for (var i = 0; i < asked.Count; i++)
        {
            if (EgressPattern.Parse(asked[i], allowWildcard: false, out var problem) is { } destination)
            {
                hosts.Add(destination.ToString());
            }
            else
            {
                errors.Add($"{field}.hosts[{i}]", problem + ".");
            }
        }

        return hosts.Count == asked.Count ? new RequestedSecret(request.Name, Env: false, File: false, Proxy: true) { Hosts = [.. hosts.Distinct(StringComparer.Ordinal)] } : null;
    }
}
