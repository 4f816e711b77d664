using System.Globalization;
using System.Text;
using Cordon.ControlPlane.Problems;
using Microsoft.IdentityModel.Tokens;

namespace Cordon.ControlPlane.Audit;

/// <summary>The query of <c>GET /v1/audit</c>, checked: a time range, an action, a page size and where the page starts.</summary>
internal sealed record AuditQuery(DateTimeOffset? From, DateTimeOffset? To, string? Action, int Limit, long AfterSeq)
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    private const string CursorPrefix = "a1:";

    public static AuditQuery Parse(string? from, string? to, string? action, string? limit, string? cursor)
    {
        var errors = new ValidationErrors();
        var fromTime = Time(from, "from", errors);
        var toTime = Time(to, "to", errors);
        if (fromTime > toTime)
        {
            errors.Add("to", "to must not be before from.");
        }

        if (action is { Length: > 64 })
        {
            errors.Add("action", "action is at most 64 characters.");
        }

        var pageSize = DefaultPageSize;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize))
        {
            errors.Add("limit", $"limit must be a whole number between 1 and {MaxPageSize}.");
        }

        long afterSeq = 0;
        if (!string.IsNullOrEmpty(cursor) && !TryDecodeCursor(cursor, out afterSeq))
        {
            errors.Add("cursor", "The cursor is not one this server handed out.");
        }

        errors.ThrowIfAny();
        return new AuditQuery(fromTime, toTime, string.IsNullOrEmpty(action) ? null : action, pageSize, afterSeq);
    }

    public static string EncodeCursor(long lastSeq) => Base64UrlEncoder.Encode(CursorPrefix + lastSeq.ToString(CultureInfo.InvariantCulture));

    private static DateTimeOffset? Time(string? value, string field, ValidationErrors errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        errors.Add(field, $"{field} must be an ISO 8601 time, for example 2026-01-31T12:00:00Z.");
        return null;
    }

    private static bool TryDecodeCursor(string cursor, out long afterSeq)
    {
        afterSeq = 0;
        try
        {
            var text = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(cursor));
            return text.StartsWith(CursorPrefix, StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(CursorPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out afterSeq)
                && afterSeq > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
