using System.Text.Json;
using System.Text.Json.Nodes;
using Cordon.ControlPlane.Policy;
using Cordon.TestSupport;

namespace Cordon.ControlPlane.Tests.Policy;

/// <summary>
/// One entry of <c>deploy/policies/cases/*.json</c>: a tenant document (absent: the tenant has none), an input and
/// the expected decision. Members the input leaves out (action, principal, service) are filled in with a standard
/// service, the same for every engine.
/// </summary>
public sealed record DecisionCase(string File, int Index, string Description, JsonObject? Policy, JsonObject Input, JsonObject Expected, IReadOnlyList<string> Engines)
{
    public const string Tenant = "acme";

    private static readonly JsonObject StandardService = JsonNode.Parse("""
        {
          "runtimes": {
            "python": { "defaultLimits": { "timeoutMs": 10000, "memoryMb": 256, "cpus": 1, "pids": 128, "outputBytes": 1048576, "diskMb": 128 } },
            "javascript": { "defaultLimits": { "timeoutMs": 10000, "memoryMb": 512, "cpus": 1, "pids": 128, "outputBytes": 1048576, "diskMb": 128 } },
            "bash": { "defaultLimits": { "timeoutMs": 10000, "memoryMb": 256, "cpus": 1, "pids": 128, "outputBytes": 1048576, "diskMb": 128 } },
            "c": { "defaultLimits": { "timeoutMs": 10000, "memoryMb": 256, "cpus": 1, "pids": 128, "outputBytes": 1048576, "diskMb": 128 } }
          },
          "maxLimits": { "timeoutMs": 300000, "memoryMb": 4096, "cpus": 4, "pids": 1024, "outputBytes": 67108864, "diskMb": 4096 }
        }
        """)!.AsObject();

    public static IEnumerable<DecisionCase> Load()
    {
        var directory = RepoPaths.Combine("deploy", "policies", "cases");
        foreach (var path in Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            var cases = JsonNode.Parse(System.IO.File.ReadAllText(path))!.AsArray();
            for (var i = 0; i < cases.Count; i++)
            {
                var item = cases[i]!.AsObject();
                var input = item["input"]!.DeepClone().AsObject();
                input["action"] ??= "job.create";
                input["principal"] ??= JsonNode.Parse($$"""{"subject":"user-1","tenant":"{{Tenant}}","scopes":["jobs:run"]}""");
                input["service"] ??= StandardService.DeepClone();
                var engines = item["engines"]?.AsArray().Select(e => e!.GetValue<string>()).ToList() ?? ["builtin", "opa"];
                yield return new DecisionCase(Path.GetFileName(path), i, item["description"]!.GetValue<string>(),
                    item["policy"]?.DeepClone().AsObject(), input, item["expected"]!.AsObject(), engines);
            }
        }
    }

    internal PolicyInput ParsedInput() =>
        Input.Deserialize(PolicyJsonContext.Default.PolicyInput) ?? throw new InvalidDataException($"{this} has no input");

    /// <summary>Compares a decision with the expectation; null when it matches, else what differs.</summary>
    internal string? Mismatch(bool allow, IEnumerable<string> rules, JsonNode? limits)
    {
        var problems = new List<string>();
        if (Expected["allow"]!.GetValue<bool>() != allow)
        {
            problems.Add($"allow {allow}, expected {!allow}");
        }

        var expectedRules = Expected["rules"]!.AsArray().Select(r => r!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
        var actualRules = rules.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (!expectedRules.SequenceEqual(actualRules))
        {
            problems.Add($"rules [{string.Join(", ", actualRules)}], expected [{string.Join(", ", expectedRules)}]");
        }

        if (Expected["limits"] is JsonObject expectedLimits)
        {
            foreach (var (name, value) in expectedLimits)
            {
                var actual = limits?[name]?.GetValue<double>();
                if (actual != value!.GetValue<double>())
                {
                    problems.Add($"limits.{name} {actual?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"}, expected {value}");
                }
            }
        }

        return problems.Count == 0 ? null : $"{this}: {string.Join("; ", problems)}";
    }

    public override string ToString() => $"{File}[{Index}] {Description}";
}
