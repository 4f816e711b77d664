using System.Text.Json;
using System.Text.RegularExpressions;
using Cordon.Contracts.Problems;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Problems;

/// <summary>
/// Describes a request the framework could not bind (bad JSON, a wrong type, a missing member, a query value that
/// is no number) in API terms: the field as the API names it and what it must be — never the .NET parameter or type
/// names the framework's own messages carry.
/// </summary>
internal static partial class BadRequestProblems
{
    public static ProblemDetails From(HttpContext context, Exception exception)
    {
        var badRequest = exception as BadHttpRequestException;
        var status = badRequest?.StatusCode ?? StatusCodes.Status400BadRequest;
        if (status == StatusCodes.Status413PayloadTooLarge)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, ProblemTypes.PayloadTooLarge, "Payload too large", null,
                "The request body is larger than the server accepts.");
        }

        var json = exception as JsonException ?? exception.InnerException as JsonException;
        var (field, detail) = json is not null
            ? DescribeJson(context, json)
            : status == StatusCodes.Status415UnsupportedMediaType
                ? (null, $"The body must be JSON (Content-Type: application/json); got '{ApiFieldPath.Clip(context.Request.ContentType ?? "none")}'.")
                : DescribeBinding(exception.Message);

        // A last guard: whatever the framework said, no .NET type or parameter name goes back to the client.
        detail = WithoutInternals(detail);

        return Problem(status, ProblemTypes.Validation, status == StatusCodes.Status415UnsupportedMediaType ? "Unsupported media type" : "The request is invalid",
            field, detail);
    }

    private static (string? Field, string Detail) DescribeJson(HttpContext context, JsonException json)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var (field, detail) = DescribeJson(json, "", () =>
        {
            // The exception handler runs with the endpoint cleared; the feature keeps the one that failed.
            var endpoint = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint();
            return endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        }, options);
        return (field.Length == 0 ? null : field, detail);
    }

    /// <summary>
    /// A serializer failure in API terms. <paramref name="root"/> names the value that was read (empty for a request
    /// body; an MCP tool's argument name); <paramref name="valueType"/> is its type, for "must be a string".
    /// </summary>
    public static (string Field, string Detail) DescribeJson(JsonException json, string root, Func<Type?> valueType, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(valueType);
        var field = Join(root, ApiFieldPath.FromJsonPath(json.Path));
        if (json is JsonMemberException member)
        {
            field = field.Length == 0 ? member.Member.TrimStart('.') : field + member.Member;
            return (field, $"{Name(field)} {member.Problem}.");
        }

        var message = json.Message;
        if (message.Contains("missing required properties", StringComparison.Ordinal))
        {
            var names = QuotedNames().Matches(message[message.IndexOf("including:", StringComparison.Ordinal)..]).Select(m => m.Groups[1].Value).ToList();
            var missing = names.Select(n => field.Length == 0 ? n : $"{field}.{n}").ToList();
            return (missing.FirstOrDefault() ?? field, missing.Count == 0
                ? $"{Name(field)} lacks a required member."
                : string.Join(" ", missing.Select(m => $"{m} is required.")));
        }

        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            return (field, $"{Name(field)} is not a known field.");
        }

        if (message.Contains("doesn't allow", StringComparison.Ordinal) && message.Contains("null", StringComparison.Ordinal))
        {
            return (field, $"{Name(field)} must not be null.");
        }

        if (message.StartsWith("Duplicate propert", StringComparison.Ordinal))
        {
            return (field, $"{Name(field)} is given more than once.");
        }

        if (message.Contains("maximum configured depth", StringComparison.Ordinal))
        {
            return (field, field.Length == 0 ? "The body nests too deeply." : $"{field} nests too deeply.");
        }

        if (json.InnerException is InvalidOperationException { Message: var inner } && inner.Contains("UTF-16", StringComparison.Ordinal))
        {
            return (field, $"{Name(field)} must be valid Unicode text (it holds a lone surrogate).");
        }

        if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            var expected = ApiFieldPath.ExpectedAt(valueType(), json.Path ?? "$", options);
            return field.Length == 0
                ? ("", "The body must be a JSON object.")
                : (field, expected is null ? $"{field} has the wrong type." : $"{field} must be {expected}.");
        }

        // The reader's own syntax errors ("'}' is invalid after a property name") name no .NET types; keep their
        // first sentence and say where.
        var sentence = message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].Trim();
        var at = field.Length == 0 ? "" : $" at {field}";
        var where = json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})" : "";
        return (field, $"The body is not valid JSON{at}{where}: {ApiFieldPath.Clip(sentence, 200)}");
    }

    /// <summary>The detail, or a neutral one when it would name a .NET type or parameter.</summary>
    public static string WithoutInternals(string detail) => InternalName().IsMatch(detail) ? "The request is invalid." : detail;

    private static string Join(string root, string path) =>
        root.Length == 0 ? path : path.Length == 0 ? root : path.StartsWith('[') ? root + path : root + "." + path;

    private static (string? Field, string Detail) DescribeBinding(string message)
    {
        if (BindFailure().Match(message) is { Success: true } bind)
        {
            var name = bind.Groups["name"].Value;
            var type = bind.Groups["type"].Value.Replace("Nullable<", "", StringComparison.Ordinal).TrimEnd('>', '?');
            var expected = type switch
            {
                "int" or "Int32" => "a whole number from -2147483648 to 2147483647",
                "long" or "Int64" => "a whole number",
                "bool" or "Boolean" => "true or false",
                _ => "a different value",
            };
            return (name, $"{name} must be {expected}; got '{ApiFieldPath.Clip(bind.Groups["value"].Value)}'.");
        }

        if (message.Contains("no body was provided", StringComparison.Ordinal) || message.Contains("from body", StringComparison.Ordinal))
        {
            return (null, "The request needs a JSON body.");
        }

        if (RequiredParameter().Match(message) is { Success: true } required)
        {
            return (required.Groups["name"].Value, $"{required.Groups["name"].Value} is required.");
        }

        return (null, "The request is invalid.");
    }

    private static string Name(string field) => field.Length == 0 ? "The body" : field;

    private static ValidationProblemDetails Problem(int status, string type, string title, string? field, string detail)
    {
        var problem = new ValidationProblemDetails { Type = type, Title = title, Status = status, Detail = detail };
        if (!string.IsNullOrEmpty(field))
        {
            problem.Errors[field] = [detail];
        }

        return problem;
    }

    [GeneratedRegex(@"'([^']*)'")]
    private static partial Regex QuotedNames();

    [GeneratedRegex("""^Failed to bind parameter "(?<type>\S+) (?<name>[^"]+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex BindFailure();

    [GeneratedRegex("""^Required parameter "(?<type>\S+) (?<name>[^"]+)" was not provided""")]
    private static partial Regex RequiredParameter();

    [GeneratedRegex(@"System\.|Cordon\.|Microsoft\.|\.NET|Failed to read parameter|Nullable`")]
    private static partial Regex InternalName();
}
