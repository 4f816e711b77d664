using Cordon.Audit;
using Cordon.ControlPlane.Audit;
using Cordon.ControlPlane.Storage;
using Cordon.ControlPlane.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cordon.ControlPlane.Tests.Audit;

/// <summary>The control plane's audit sink end to end: group commit, the segment files and the database index.</summary>
public sealed class AuditLogTests : ApiTestBase
{
    [Fact]
    public async Task WriteAsync_ConcurrentWriters_EveryRecordDurableContiguousAndIndexed()
    {
        var sink = Factory.Services.GetRequiredService<IAuditSink>();
        var log = Factory.Services.GetRequiredService<AuditLog>();
        var before = log.Head.Seq;
        const int Writers = 16;
        const int PerWriter = 25;

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < PerWriter; i++)
            {
                await sink.WriteAsync(new AuditEvent("test.write", "acme", $"writer-{w}", $"{w}/{i}", "ok"), Ct);
            }
        }, Ct)));

        // Each write returned after its record was fsynced: every one is in the segments now.
        var lines = new List<string>();
        foreach (var segment in AuditSegmentFiles.List(log.Directory))
        {
            lines.AddRange(await File.ReadAllLinesAsync(segment, Ct));
        }

        var targets = lines.Where(l => l.Contains("\"test.write\"", StringComparison.Ordinal)).Select(Target).ToHashSet();
        Assert.Equal(Writers * PerWriter, targets.Count);
        Assert.Equal(before + (Writers * PerWriter), log.Head.Seq);
        var verification = await AuditChainVerifier.VerifyAsync(log.Directory, log.Head.Seq, Ct);
        Assert.True(verification.Valid, verification.Reason);
        Assert.Equal(log.Head.Seq, verification.Events);

        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CordonDbContext>();
        var seqs = await db.AuditEvents.IgnoreQueryFilters().OrderBy(e => e.Seq).Select(e => e.Seq).ToListAsync(Ct);
        Assert.Equal(Enumerable.Range(1, (int)log.Head.Seq).Select(i => (long)i), seqs);
        Assert.Equal(verification.LastHash, (await db.AuditEvents.IgnoreQueryFilters().SingleAsync(e => e.Seq == log.Head.Seq, Ct)).Hash);
    }

    private static string Target(string line)
    {
        const string Key = "\"target\":\"";
        var start = line.IndexOf(Key, StringComparison.Ordinal) + Key.Length;
        return line[start..line.IndexOf('"', start)];
    }
}
