using System.ComponentModel.DataAnnotations;

namespace Cordon.ControlPlane.Audit;

/// <summary><c>Cordon:Audit</c>: where the hash-chained audit log lives and how it is written.</summary>
internal sealed class AuditOptions
{
    public const string SectionName = "Cordon:Audit";

    /// <summary>The segment directory; default <c>&lt;data dir&gt;/audit</c>. One control-plane process writes it.</summary>
    public string? Directory { get; set; }

    /// <summary>A segment is closed and the next one begun once it would grow past this (default 64 MiB).</summary>
    [Range(4096, long.MaxValue, ErrorMessage = "Cordon:Audit:SegmentMaxBytes must be at least 4096.")]
    public long SegmentMaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>At most this many records share one append and fsync.</summary>
    [Range(1, 100_000, ErrorMessage = "Cordon:Audit:MaxBatch must be between 1 and 100000.")]
    public int MaxBatch { get; set; } = 1024;
}
