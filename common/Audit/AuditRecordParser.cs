using System.Globalization;
using System.Text.Json;
using Cordon.Contracts.Audit;

namespace Cordon.Audit;

/// <summary>Reads one segment line back into a record: an object with exactly the record's members, nothing else.</summary>
internal static class AuditRecordParser
{
    private const int MemberCount = 10;

    public static bool TryParse(ReadOnlyMemory<byte> line, out AuditRecord? record, out string? error)
    {
        record = null;
        try
        {
            using var document = JsonDocument.Parse(line);
            record = Read(document.RootElement, out error);
            return record is not null;
        }
        catch (JsonException)
        {
            error = "not valid JSON";
            return false;
        }
    }

    private static AuditRecord? Read(JsonElement root, out string? error)
    {
        error = "not an audit record";
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var member in root.EnumerateObject())
        {
            if (!values.TryAdd(member.Name, member.Value))
            {
                error = $"member '{member.Name}' appears twice";
                return null;
            }
        }

        if (values.Count != MemberCount
            || !TryString(values, "action", required: true, out var action)
            || !TryString(values, "actor", required: false, out var actor)
            || !TryString(values, "hash", required: true, out var hash)
            || !TryString(values, "outcome", required: true, out var outcome)
            || !TryString(values, "prevHash", required: true, out var prevHash)
            || !TryString(values, "target", required: false, out var target)
            || !TryString(values, "tenant", required: false, out var tenant)
            || !TryString(values, "time", required: true, out var timeText)
            || !values.TryGetValue("seq", out var seqElement) || !seqElement.TryGetInt64(out var seq)
            || !values.TryGetValue("details", out var detailsElement) || !TryDetails(detailsElement, out var details)
            || !DateTimeOffset.TryParseExact(timeText, AuditCanonicalJson.TimeFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return null;
        }

        error = null;
        return new AuditRecord
        {
            Seq = seq,
            Time = time,
            Tenant = tenant,
            Actor = actor,
            Action = action!,
            Target = target,
            Outcome = outcome!,
            Details = details,
            PrevHash = prevHash!,
            Hash = hash!,
        };
    }

    private static bool TryString(Dictionary<string, JsonElement> values, string name, bool required, out string? value)
    {
        value = null;
        if (!values.TryGetValue(name, out var element))
        {
            return false;
        }

        if (element.ValueKind == JsonValueKind.Null)
        {
            return !required;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        value = element.GetString();
        return true;
    }

    private static bool TryDetails(JsonElement element, out Dictionary<string, string> details)
    {
        details = new Dictionary<string, string>(StringComparer.Ordinal);
        if (element.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (var member in element.EnumerateObject())
        {
            if (member.Value.ValueKind != JsonValueKind.String || !details.TryAdd(member.Name, member.Value.GetString()!))
            {
                return false;
            }
        }

        return true;
    }
}
