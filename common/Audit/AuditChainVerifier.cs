using Cordon.Contracts.Audit;

namespace Cordon.Audit;

/// <summary>
/// Recomputes the chain from the segment files: each line must parse, be in canonical form byte for byte, carry
/// the next sequence number, link to the previous record's hash and hash to its own <c>hash</c>. The first record
/// that does not is named. A torn last line of the last segment (a crash mid-append; the writer truncates it on
/// restart) was never acknowledged and is not counted.
/// </summary>
internal static class AuditChainVerifier
{
    /// <param name="directory">The segment directory.</param>
    /// <param name="throughSeq">Stop after this record; the log must reach it (the writer's head when the check began).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public static async Task<AuditVerification> VerifyAsync(string directory, long? throughSeq, CancellationToken cancellationToken)
    {
        var expected = 1L;
        var prevHash = AuditChain.GenesisHash;
        var segments = AuditSegmentFiles.List(directory);
        for (var s = 0; s < segments.Count; s++)
        {
            var name = Path.GetFileName(segments[s]);
            var content = await AuditSegmentLines.ReadAsync(segments[s], cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < content.Lines.Count; i++)
            {
                if (throughSeq is { } last && expected > last)
                {
                    return Valid(expected - 1, prevHash);
                }

                var where = $"{name} line {i + 1}";
                var line = content.Lines[i];
                if (!AuditRecordParser.TryParse(line, out var record, out var error))
                {
                    return Broken(expected, prevHash, $"record {expected} ({where}) cannot be read: {error}");
                }

                if (record!.Seq != expected)
                {
                    return Broken(expected, prevHash, record.Seq > expected
                        ? $"record {expected} is missing: {where} holds record {record.Seq}"
                        : $"record {record.Seq} at {where} is out of order: record {expected} was expected");
                }

                if (!string.Equals(record.PrevHash, prevHash, StringComparison.Ordinal))
                {
                    return Broken(expected, prevHash, $"record {expected} ({where}) does not link to the record before it (prevHash differs)");
                }

                if (!string.Equals(AuditChain.ComputeHash(record), record.Hash, StringComparison.Ordinal))
                {
                    return Broken(expected, prevHash, $"record {expected} ({where}) was altered: its content does not match its hash");
                }

                if (!line.Span.SequenceEqual(AuditCanonicalJson.Serialize(record, withHash: true)))
                {
                    return Broken(expected, prevHash, $"record {expected} ({where}) was altered: it is not in canonical form");
                }

                prevHash = record.Hash;
                expected++;
            }

            if (content.TornBytes > 0 && s < segments.Count - 1)
            {
                return Broken(expected, prevHash, $"record {expected} ({name} line {content.Lines.Count + 1}) is incomplete, and later segments follow");
            }
        }

        if (throughSeq is { } through && expected - 1 < through)
        {
            return Broken(expected, prevHash, $"record {expected} is missing: the log ends at record {expected - 1}, {through} were written");
        }

        return Valid(expected - 1, prevHash);
    }

    private static AuditVerification Valid(long events, string lastHash) =>
        new() { Valid = true, Events = events, LastHash = lastHash };

    private static AuditVerification Broken(long seq, string lastHash, string reason) =>
        new() { Valid = false, Events = seq - 1, LastHash = lastHash, BrokenSeq = seq, Reason = reason };
}
