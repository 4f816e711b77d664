using Cordon.Contracts.Jobs;
using Cordon.ControlPlane.Problems;

namespace Cordon.ControlPlane.Jobs;

/// <summary>The query of <c>GET /v1/jobs</c>, checked: a status filter, a page size and where the page starts.</summary>
internal sealed record JobListQuery(JobStatus? Status, int Limit, string? AfterId)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    /// <summary>Parses the query string's values; 400 naming each bad one.</summary>
    public static JobListQuery Parse(string? status, int? limit, string? cursor)
    {
        var errors = new ValidationErrors();
        JobStatus? wanted = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (JobStatusExtensions.TryParseWireName(status, out var parsed))
            {
                wanted = parsed;
            }
            else
            {
                errors.Add("status", $"Unknown status '{status}'.");
            }
        }

        if (limit is < 1 or > MaxPageSize)
        {
            errors.Add("limit", $"limit must be between 1 and {MaxPageSize}.");
        }

        string? afterId = null;
        if (!string.IsNullOrEmpty(cursor) && !Cursors.TryDecode(cursor, out afterId))
        {
            errors.Add("cursor", "The cursor is not one this server handed out.");
        }

        errors.ThrowIfAny();
        return new JobListQuery(wanted, limit ?? DefaultPageSize, afterId);
    }
}
