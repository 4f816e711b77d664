using System.CommandLine;
using System.Globalization;
using Cordon.Audit;

namespace Cordon.Cli.Commands;

/// <summary>
/// <c>cordon audit export --from --to</c>: the records of the range through <c>GET /v1/audit</c>, page by page, one
/// canonical JSON line each — the bytes of the segment files, so a SIEM can re-hash each record.
/// </summary>
internal static class AuditExportCommand
{
    private const int PageSize = 1000;

    public static Command Create()
    {
        var from = new Option<string?>("--from") { Description = "First time (inclusive), ISO 8601, e.g. 2026-01-31T00:00:00Z." };
        var to = new Option<string?>("--to") { Description = "Last time (exclusive), ISO 8601." };
        var action = new Option<string?>("--action") { Description = "Only records of this action (e.g. job.end)." };
        var command = new Command("export", "Write audit records as JSON lines, oldest first (token scope: audit:read for your tenant, admin for all).")
        {
            from,
            to,
            action,
        };
        command.SetHandler(async (parseResult, cancellationToken) =>
        {
            var start = Time(parseResult.GetValue(from), "--from");
            var end = Time(parseResult.GetValue(to), "--to");
            using var client = CliEnvironment.CreateClient();
            using var output = Console.OpenStandardOutput();
            string? cursor = null;
            do
            {
                var page = await client.ListAuditAsync(start, end, parseResult.GetValue(action), PageSize, cursor, cancellationToken).ConfigureAwait(false);
                foreach (var record in page.Items)
                {
                    await output.WriteAsync(AuditChain.Line(record), cancellationToken).ConfigureAwait(false);
                }

                cursor = page.Next;
            }
            while (cursor is not null);

            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static DateTimeOffset? Time(string? value, string option) =>
        value is null ? null
        : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) ? time
        : throw new CliException($"{option} is not an ISO 8601 time: '{value}'", ExitCodes.Usage);
}
