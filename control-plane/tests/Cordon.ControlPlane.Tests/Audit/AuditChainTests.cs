using System.Text;
using Cordon.Audit;
using Cordon.Contracts.Audit;
using Cordon.ControlPlane.Audit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cordon.ControlPlane.Tests.Audit;

/// <summary>
/// The segment writer and the verifier on real files: tampering of every kind is named, a restart continues the
/// chain, a torn tail is cut off and the chain goes on after it.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class AuditChainTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cordon-audit-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Verify_IntactChain_IsValidWithLastHash()
    {
        var written = Write(10);

        var result = await AuditChainVerifier.VerifyAsync(_dir, null, Ct);

        Assert.True(result.Valid, result.Reason);
        Assert.Equal(10, result.Events);
        Assert.Equal(written[^1].Hash, result.LastHash);
        Assert.Null(result.BrokenSeq);
    }

    [Fact]
    public async Task Verify_AnyByteOfARecordFlipped_NamesThatRecord()
    {
        Write(8);
        var segment = Assert.Single(AuditSegmentFiles.List(_dir));
        var original = await File.ReadAllBytesAsync(segment, Ct);
        var (start, end) = LineBounds(original, 5);
        for (var i = start; i <= end; i++)
        {
            var tampered = (byte[])original.Clone();
            tampered[i] ^= 0x01;
            await File.WriteAllBytesAsync(segment, tampered, Ct);

            var result = await AuditChainVerifier.VerifyAsync(_dir, null, Ct);

            Assert.False(result.Valid, $"byte {i - start} of record 5 flipped went unseen");
            Assert.Equal(5, result.BrokenSeq);
            Assert.Equal(4, result.Events);
            Assert.Contains("record 5", result.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Verify_RecordDeleted_NamesTheMissingRecord()
    {
        Write(6);
        var segment = Assert.Single(AuditSegmentFiles.List(_dir));
        var lines = (await File.ReadAllLinesAsync(segment, Ct)).ToList();
        lines.RemoveAt(2);
        await File.WriteAllLinesAsync(segment, lines, Ct);

        var result = await AuditChainVerifier.VerifyAsync(_dir, null, Ct);

        Assert.False(result.Valid);
        Assert.Equal(3, result.BrokenSeq);
        Assert.Contains("record 3 is missing", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TwoRecordsSwapped_NamesTheFirst()
    {
        Write(6);
        var segment = Assert.Single(AuditSegmentFiles.List(_dir));
        var lines = await File.ReadAllLinesAsync(segment, Ct);
        (lines[3], lines[4]) = (lines[4], lines[3]);
        await File.WriteAllLinesAsync(segment, lines, Ct);

        var result = await AuditChainVerifier.VerifyAsync(_dir, null, Ct);

        Assert.False(result.Valid);
        Assert.Equal(4, result.BrokenSeq);
    }

    [Fact]
    public async Task Verify_LastRecordsDropped_CaughtAgainstTheWritersHead()
    {
        Write(6);
        var segment = Assert.Single(AuditSegmentFiles.List(_dir));
        var lines = await File.ReadAllLinesAsync(segment, Ct);
        await File.WriteAllLinesAsync(segment, lines[..4], Ct);

        var result = await AuditChainVerifier.VerifyAsync(_dir, throughSeq: 6, Ct);

        Assert.False(result.Valid);
        Assert.Equal(5, result.BrokenSeq);
    }

    [Fact]
    public async Task Open_AfterRestart_ContinuesSeqAndPrevHash()
    {
        var first = Write(3);
        var second = Write(2);

        Assert.Equal([4, 5], second.Select(r => r.Seq));
        Assert.Equal(first[^1].Hash, second[0].PrevHash);
        var result = await AuditChainVerifier.VerifyAsync(_dir, null, Ct);
        Assert.True(result.Valid, result.Reason);
        Assert.Equal(5, result.Events);
    }

    [Fact]
    public async Task Open_TornLastLine_TruncatesItAndContinuesTheChain()
    {
        var written = Write(4);
        var segment = Assert.Single(AuditSegmentFiles.List(_dir));
        var intactLength = new FileInfo(segment).Length;
        // A crash mid-append: half of what would have been record 5, no newline.
        var torn = AuditChain.Line(AuditChain.Seal(Draft("torn"), 5, written[^1].Hash));
        await using (var stream = new FileStream(segment, FileMode.Append))
        {
            await stream.WriteAsync(torn.AsMemory(0, torn.Length / 2), Ct);
        }

        Assert.True((await AuditChainVerifier.VerifyAsync(_dir, null, Ct)).Valid);
        var after = Write(2);

        Assert.Equal(5, after[0].Seq);
        Assert.Equal(written[^1].Hash, after[0].PrevHash);
        var lines = await File.ReadAllLinesAsync(segment, Ct);
        Assert.Equal(6, lines.Length);
        Assert.DoesNotContain(lines, l => l.Contains("torn", StringComparison.Ordinal));
        Assert.True(new FileInfo(segment).Length > intactLength);
        var result = await AuditChainVerifier.VerifyAsync(_dir, null, Ct);
        Assert.True(result.Valid, result.Reason);
        Assert.Equal(6, result.Events);
    }

    [Fact]
    public async Task Append_PastTheSegmentSize_StartsSegmentsTheChainRunsThrough()
    {
        Write(30, segmentMaxBytes: 4096);
        Write(30, segmentMaxBytes: 4096);

        var segments = AuditSegmentFiles.List(_dir);
        Assert.True(segments.Count > 2, $"{segments.Count} segment(s)");
        Assert.Equal(AuditSegmentFiles.NameFor(1), Path.GetFileName(segments[0]));
        var result = await AuditChainVerifier.VerifyAsync(_dir, null, Ct);
        Assert.True(result.Valid, result.Reason);
        Assert.Equal(60, result.Events);
    }

    [Fact]
    public void Open_WhileAnotherWriterHoldsTheDirectory_Refuses()
    {
        using var first = AuditSegmentWriter.Open(_dir, 1 << 20, NullLogger.Instance);

        var error = Assert.Throws<InvalidOperationException>(() => AuditSegmentWriter.Open(_dir, 1 << 20, NullLogger.Instance));
        Assert.Contains("Cordon:Audit:Directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Canonical_ControlCharactersAndUnicode_RoundTripToTheSameBytes()
    {
        var record = AuditChain.Seal(Draft("line\nbreak \"quoted\" \\ é \u001b 🙂"), 1, AuditChain.GenesisHash);
        var line = AuditCanonicalJson.Serialize(record, withHash: true);

        Assert.True(AuditRecordParser.TryParse(line, out var parsed, out var error), error);
        Assert.Equal(record.Target, parsed!.Target);
        Assert.Equal(line, AuditCanonicalJson.Serialize(parsed, withHash: true));
        Assert.Contains("\\u001b", Encoding.UTF8.GetString(line), StringComparison.Ordinal);
        Assert.Equal(record.Hash, AuditChain.ComputeHash(parsed));
    }

    /// <summary>Opens the writer (as a restart would), appends <paramref name="count"/> records one batch each, closes it.</summary>
    private List<AuditRecord> Write(int count, long segmentMaxBytes = 1 << 20)
    {
        using var writer = AuditSegmentWriter.Open(_dir, segmentMaxBytes, NullLogger.Instance);
        var written = new List<AuditRecord>();
        for (var i = 0; i < count; i++)
        {
            var record = AuditChain.Seal(Draft($"job-{writer.Head.Seq + 1}"), writer.Head.Seq + 1, writer.Head.Hash);
            writer.Append([record]);
            written.Add(record);
        }

        return written;
    }

    private static AuditRecord Draft(string target) => AuditDrafts.From(new AuditEvent("job.start", "acme", "user-1", target, "accepted", Detail: "python")) with
    {
        Time = new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero),
    };

    /// <summary>The first and last byte (its newline) of line <paramref name="number"/> (from 1).</summary>
    private static (int Start, int End) LineBounds(byte[] bytes, int number)
    {
        var start = 0;
        for (var line = 1; ; line++)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            if (line == number)
            {
                return (start, end);
            }

            start = end + 1;
        }
    }
}
