using System.Collections.Frozen;
using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using Cordon.ControlPlane.Problems;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

namespace Cordon.ControlPlane.Mcp;

/// <summary>
/// Checks a tool call's arguments before the SDK binds them, with /v1's JSON rules (no null where the tool has no
/// nullable argument, strict string lists and maps, no unknown members) and /v1's wording: <c>env.A must be a
/// string.</c>, <c>language is required.</c> — the SDK's own binding errors name .NET parameters and types.
/// A tool's arguments are its method's parameters that carry a <see cref="DescriptionAttribute"/>; the others are
/// services and call context the SDK supplies.
/// </summary>
internal sealed class McpToolArguments(IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> jsonOptions)
{
    private readonly FrozenDictionary<string, Argument[]> _tools = Discover();

    /// <summary>What is wrong with the arguments, one sentence per argument; null when nothing is (or the tool is not Cordon's).</summary>
    public string? Problems(string tool, IDictionary<string, JsonElement>? arguments)
    {
        if (!_tools.TryGetValue(tool, out var declared))
        {
            return null;
        }

        var options = jsonOptions.Value.SerializerOptions;
        var problems = new List<string>();
        foreach (var argument in declared)
        {
            if (arguments is null || !arguments.TryGetValue(argument.Name, out var value))
            {
                if (argument.Required)
                {
                    problems.Add($"{argument.Name} is required.");
                }

                continue;
            }

            if (value.ValueKind == JsonValueKind.Null)
            {
                if (!argument.Nullable)
                {
                    problems.Add($"{argument.Name} must be {ApiFieldPath.ExpectedAt(argument.Type, "$", options) ?? "given"}.");
                }

                continue;
            }

            try
            {
                _ = value.Deserialize(options.GetTypeInfo(argument.Type));
            }
            catch (JsonException json)
            {
                problems.Add(BadRequestProblems.DescribeJson(json, argument.Name, () => argument.Type, options).Detail);
            }
        }

        foreach (var name in arguments?.Keys ?? [])
        {
            if (!declared.Any(a => a.Name == name))
            {
                problems.Add($"{ApiFieldPath.Clip(name)} is not an argument of {tool}.");
            }
        }

        return problems.Count == 0 ? null : BadRequestProblems.WithoutInternals(string.Join(" ", problems));
    }

    private static FrozenDictionary<string, Argument[]> Discover()
    {
        var nullability = new NullabilityInfoContext();
        return CordonMcpExtensions.ToolTypes
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance))
            .Select(method => (Tool: method.GetCustomAttribute<McpServerToolAttribute>(), Method: method))
            .Where(t => t.Tool?.Name is not null)
            .ToFrozenDictionary(t => t.Tool!.Name!, t => t.Method.GetParameters()
                .Where(p => p.GetCustomAttribute<DescriptionAttribute>() is not null)
                .Select(p => new Argument(p.Name!, p.ParameterType, !p.HasDefaultValue, nullability.Create(p).ReadState != NullabilityState.NotNull))
                .ToArray(), StringComparer.Ordinal);
    }

    private sealed record Argument(string Name, Type Type, bool Required, bool Nullable);
}
