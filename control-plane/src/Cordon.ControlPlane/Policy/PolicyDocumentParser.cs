using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cordon.Contracts.Jobs;
using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Requests;

namespace Cordon.ControlPlane.Policy;

/// <summary>
/// Reads a tenant policy document strictly: unknown or repeated fields, wrong types, bad host patterns, bad version
/// constraints, limits over the service's ceilings — each an error naming its field (<c>egress[2]</c>,
/// <c>runtimes.python.dependencies[0].version</c>), all reported at once.
/// </summary>
internal static partial class PolicyDocumentParser
{
    public const int MaxEntries = 1000;

    private static readonly string[] RootFields = ["runtimes", "maxLimits", "egress", "secrets", "quotas"];
    private static readonly string[] RuntimeFields = ["maxLimits", "dependencies"];
    private static readonly string[] DependencyFields = ["name", "version"];
    private static readonly string[] LimitFields = ["timeoutMs", "memoryMb", "cpus", "pids", "outputBytes", "diskMb"];
    private static readonly string[] QuotaFields = ["concurrentJobs", "queuedJobs", "concurrentSessions", "requestsPerSecond", "burst"];

    /// <summary>The document, or null with every problem in <paramref name="errors"/>.</summary>
    public static PolicyDocument? Parse(JsonElement root, LimitsOptions ceilings, ValidationErrors errors)
    {
        if (!Fields(root, "", "The policy document", RootFields, errors, out var fields))
        {
            return null;
        }

        var document = new PolicyDocument
        {
            Runtimes = fields.TryGetValue("runtimes", out var runtimes) ? Runtimes(runtimes, ceilings, errors) : null,
            MaxLimits = fields.TryGetValue("maxLimits", out var limits) ? Limits(limits, "maxLimits", ceilings, errors) : null,
            Egress = fields.TryGetValue("egress", out var egress) ? Egress(egress, errors) : [],
            Secrets = fields.TryGetValue("secrets", out var secrets) ? Secrets(secrets, errors) : [],
            Quotas = fields.TryGetValue("quotas", out var quotas) ? Quotas(quotas, errors) : null,
        };
        return errors.IsEmpty ? document : null;
    }

    private static Dictionary<string, RuntimePolicy>? Runtimes(JsonElement element, LimitsOptions ceilings, ValidationErrors errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add("runtimes", "runtimes must be an object: { \"python\": { … }, \"bash\": {} }.");
            return null;
        }

        var runtimes = new Dictionary<string, RuntimePolicy>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var language = property.Name;
            var path = "runtimes." + language;
            if (!RuntimeName().IsMatch(language))
            {
                errors.Add(path, $"'{language}' is not a runtime name (the canonical language, lower case, as GET /v1/runtimes lists it).");
                continue;
            }

            if (runtimes.ContainsKey(language))
            {
                errors.Add(path, $"'{language}' is given twice.");
                continue;
            }

            if (!Fields(property.Value, path, path, RuntimeFields, errors, out var fields))
            {
                continue;
            }

            runtimes[language] = new RuntimePolicy
            {
                MaxLimits = fields.TryGetValue("maxLimits", out var limits) ? Limits(limits, path + ".maxLimits", ceilings, errors) : null,
                Dependencies = fields.TryGetValue("dependencies", out var dependencies) ? Dependencies(language, dependencies, path + ".dependencies", errors) : [],
            };
        }

        return runtimes;
    }

    private static List<DependencyRule> Dependencies(string language, JsonElement element, string path, ValidationErrors errors)
    {
        var rules = new List<DependencyRule>();
        if (!DependencySpec.HasPackageManager(language))
        {
            errors.Add(path, $"'{language}' has no package manager; dependencies are for {string.Join(" and ", DependencySpec.Ecosystems)}.");
            return rules;
        }

        if (!Array(element, path, errors))
        {
            return rules;
        }

        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var at = $"{path}[{index++}]";
            if (!Fields(item, at, at, DependencyFields, errors, out var fields))
            {
                continue;
            }

            if (!fields.TryGetValue("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String
                || !DependencySpec.IsValidName(language, nameElement.GetString()!))
            {
                errors.Add(at + ".name", $"name must be a {language} package name (e.g. {(language == "python" ? "requests" : "lodash or @types/node")}).");
                continue;
            }

            string? version = null;
            if (fields.TryGetValue("version", out var versionElement))
            {
                if (versionElement.ValueKind != JsonValueKind.String)
                {
                    errors.Add(at + ".version", "version must be a string.");
                    continue;
                }

                version = versionElement.GetString();
            }

            var rule = DependencyRule.Create(language, nameElement.GetString()!, version, out var problem);
            if (rule is null)
            {
                errors.Add(at + ".version", $"{problem} ({(language == "python" ? "a PEP 440 specifier such as >=2.31,<3" : "an npm range such as ^4.17.0")}).");
                continue;
            }

            if (rules.Any(r => r.Name == rule.Name))
            {
                errors.Add(at + ".name", $"'{rule.Name}' is listed twice; give one constraint (ranges combine: >=1,<2 or ^1 || ^2).");
                continue;
            }

            rules.Add(rule);
        }

        return rules;
    }

    private static List<EgressPattern> Egress(JsonElement element, ValidationErrors errors)
    {
        var patterns = new List<EgressPattern>();
        if (!Array(element, "egress", errors))
        {
            return patterns;
        }

        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var at = $"egress[{index++}]";
            if (item.ValueKind != JsonValueKind.String)
            {
                errors.Add(at, "must be a string host:port or *.suffix:port.");
                continue;
            }

            if (EgressPattern.Parse(item.GetString(), allowWildcard: true, out var problem) is { } pattern)
            {
                patterns.Add(pattern);
            }
            else
            {
                errors.Add(at, problem + ".");
            }
        }

        return patterns;
    }

    private static List<string> Secrets(JsonElement element, ValidationErrors errors)
    {
        var names = new List<string>();
        if (!Array(element, "secrets", errors))
        {
            return names;
        }

        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var at = $"secrets[{index++}]";
            var name = item.ValueKind == JsonValueKind.String ? item.GetString()! : null;
            if (name is null || !SecretNames.IsValid(name))
            {
                errors.Add(at, $"must be a secret name ({SecretNames.Rule}).");
            }
            else if (names.Contains(name, StringComparer.Ordinal))
            {
                errors.Add(at, $"'{name}' is listed twice.");
            }
            else
            {
                names.Add(name);
            }
        }

        return names;
    }

    private static ResourceLimits? Limits(JsonElement element, string path, LimitsOptions ceilings, ValidationErrors errors)
    {
        if (!Fields(element, path, path, LimitFields, errors, out var fields))
        {
            return null;
        }

        long? Whole(string name, long min, long max)
        {
            if (!fields.TryGetValue(name, out var value))
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var n) || n < min || n > max)
            {
                errors.Add($"{path}.{name}", $"{name} must be a whole number from {min} to {max} (the service's ceiling, Cordon:Limits).");
                return null;
            }

            return n;
        }

        double? cpus = null;
        if (fields.TryGetValue("cpus", out var cpuElement))
        {
            if (cpuElement.ValueKind != JsonValueKind.Number || !cpuElement.TryGetDouble(out var c) || c <= 0 || c > ceilings.MaxCpus)
            {
                errors.Add($"{path}.cpus", $"cpus must be a number above 0 and at most {ceilings.MaxCpus.ToString(CultureInfo.InvariantCulture)} (Cordon:Limits).");
            }
            else
            {
                cpus = c;
            }
        }

        return new ResourceLimits
        {
            TimeoutMs = Whole("timeoutMs", 1, ceilings.MaxTimeoutMs),
            MemoryMb = (int?)Whole("memoryMb", 16, ceilings.MaxMemoryMb),
            Cpus = cpus,
            Pids = (int?)Whole("pids", 1, ceilings.MaxPids),
            OutputBytes = Whole("outputBytes", 1, ceilings.MaxOutputBytes),
            DiskMb = (int?)Whole("diskMb", 1, ceilings.MaxDiskMb),
        };
    }

    private static PolicyQuotas? Quotas(JsonElement element, ValidationErrors errors)
    {
        if (!Fields(element, "quotas", "quotas", QuotaFields, errors, out var fields))
        {
            return null;
        }

        int? Count(string name, int min)
        {
            if (!fields.TryGetValue(name, out var value))
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var n) || n < min || n > 1_000_000)
            {
                errors.Add("quotas." + name, $"{name} must be a whole number from {min} to 1000000.");
                return null;
            }

            return n;
        }

        double? rate = null;
        if (fields.TryGetValue("requestsPerSecond", out var rateElement))
        {
            if (rateElement.ValueKind != JsonValueKind.Number || !rateElement.TryGetDouble(out var r) || r <= 0 || r > 1_000_000)
            {
                errors.Add("quotas.requestsPerSecond", "requestsPerSecond must be a number above 0 and at most 1000000.");
            }
            else
            {
                rate = r;
            }
        }

        return new PolicyQuotas
        {
            ConcurrentJobs = Count("concurrentJobs", 0),
            QueuedJobs = Count("queuedJobs", 0),
            ConcurrentSessions = Count("concurrentSessions", 0),
            RequestsPerSecond = rate,
            Burst = Count("burst", 1),
        };
    }

    private static bool Array(JsonElement element, string path, ValidationErrors errors)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            errors.Add(path, $"{path} must be an array.");
            return false;
        }

        if (element.GetArrayLength() > MaxEntries)
        {
            errors.Add(path, $"{path} has more than {MaxEntries} entries.");
            return false;
        }

        return true;
    }

    /// <summary>An object's members by name, refusing unknown and repeated ones.</summary>
    private static bool Fields(JsonElement element, string path, string what, string[] known, ValidationErrors errors, out Dictionary<string, JsonElement> fields)
    {
        fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path.Length == 0 ? "$" : path, $"{what} must be a JSON object.");
            return false;
        }

        var ok = true;
        foreach (var property in element.EnumerateObject())
        {
            var at = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                errors.Add(at, $"'{property.Name}' is not a field here; known: {string.Join(", ", known)}.");
                ok = false;
            }
            else if (!fields.TryAdd(property.Name, property.Value))
            {
                errors.Add(at, $"'{property.Name}' is given twice.");
                ok = false;
            }
        }

        return ok;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9+_-]{0,31}$")]
    private static partial Regex RuntimeName();
}
