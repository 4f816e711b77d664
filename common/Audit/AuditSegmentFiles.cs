namespace Cordon.Audit;

/// <summary>
/// The audit log's files: <c>audit-&lt;first seq, 20 digits&gt;.jsonl</c>, one canonical record per line, so the
/// ordinal order of their names is the order of the chain.
/// </summary>
internal static class AuditSegmentFiles
{
    public const string Prefix = "audit-";

    public const string Extension = ".jsonl";

    public static string NameFor(long firstSeq) => $"{Prefix}{firstSeq:D20}{Extension}";

    /// <summary>The segment files of <paramref name="directory"/> in chain order; none when it does not exist.</summary>
    public static IReadOnlyList<string> List(string directory) =>
        Directory.Exists(directory)
            ? [.. Directory.GetFiles(directory, Prefix + "*" + Extension).Order(StringComparer.Ordinal)]
            : [];
}
