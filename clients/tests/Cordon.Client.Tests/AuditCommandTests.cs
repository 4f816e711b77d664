using Cordon.Audit;
using Cordon.Contracts.Audit;

namespace Cordon.Client.Tests;

/// <summary><c>cordon audit verify --data-dir</c> through the real CLI binary on segment files made with the chain's own code.</summary>
public sealed class AuditCommandTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("cordon-cli-audit-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string?> Env => new();

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Fact]
    public async Task Verify_IntactSegments_ExitsZeroWithCountAndHash()
    {
        var last = await WriteChainAsync(5);

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(Env, null, Ct, "audit", "verify", "--data-dir", _dataDir);

        Assert.True(exitCode == 0, stderr + stdout);
        Assert.Contains("5 record(s)", stdout, StringComparison.Ordinal);
        Assert.Contains(last.Hash, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_OneByteFlipped_NamesTheRecordAndFails()
    {
        await WriteChainAsync(5);
        var segment = Path.Combine(_dataDir, "audit", AuditSegmentFiles.NameFor(1));
        var bytes = await File.ReadAllBytesAsync(segment, Ct);
        var lineStarts = bytes.Select((b, i) => (b, i)).Where(x => x.b == (byte)'\n').Select(x => x.i + 1).ToList();
        // One bit of one byte of record 3 (line 3): the "j" of its action, job.start, becomes "J".
        bytes[Array.IndexOf(bytes, (byte)'j', lineStarts[1])] ^= 0x20;
        await File.WriteAllBytesAsync(segment, bytes, Ct);

        var (exitCode, stdout, _) = await CliProcess.RunAsync(Env, null, Ct, "audit", "verify", "--data-dir", _dataDir);

        Assert.Equal(65, exitCode);
        Assert.Contains("BROKEN at record 3", stdout, StringComparison.Ordinal);
        Assert.Contains("2 record(s) before it are intact", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_NoSegments_NotFound()
    {
        var (exitCode, _, stderr) = await CliProcess.RunAsync(Env, null, Ct, "audit", "verify", "--data-dir", _dataDir);

        Assert.Equal(66, exitCode);
        Assert.Contains("no audit segments", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_PagesThroughTheApi_CanonicalLinesThatVerify()
    {
        await using var server = await FakeCordonServer.StartAsync(Ct);
        server.AuditRecords.AddRange(Chain(5));
        var env = new Dictionary<string, string?> { ["CORDON_URL"] = server.Url.AbsoluteUri, ["CORDON_TOKEN"] = "t" };

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(env, null, Ct, "audit", "export", "--from", "2026-12-01T00:00:00Z", "--to", "2026-12-03T00:00:00Z");

        Assert.True(exitCode == 0, stderr);
        Assert.Equal(string.Concat(server.AuditRecords.Select(r => System.Text.Encoding.UTF8.GetString(AuditChain.Line(r)))), stdout);
        Assert.Equal(3, server.AuditQueries.Count);
        Assert.All(server.AuditQueries, q => Assert.Contains("from=2026-12-01T00%3A00%3A00.0000000%2B00%3A00", q, StringComparison.Ordinal));
        // The exported lines are a segment: the offline verifier accepts them as they are.
        var directory = Path.Combine(_dataDir, "audit");
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, AuditSegmentFiles.NameFor(1)), stdout, Ct);
        Assert.Equal(0, (await CliProcess.RunAsync(Env, null, Ct, "audit", "verify", "--data-dir", _dataDir)).ExitCode);
    }

    [Fact]
    public async Task Verify_Url_BrokenAnswerNamesTheRecordAndFails()
    {
        await using var server = await FakeCordonServer.StartAsync(Ct);
        var env = new Dictionary<string, string?> { ["CORDON_TOKEN"] = "t" };

        var (exitCode, stdout, _) = await CliProcess.RunAsync(env, null, Ct, "audit", "verify", "--url", server.Url.AbsoluteUri);

        Assert.Equal(65, exitCode);
        Assert.Contains("BROKEN at record 7: record 7 was altered", stdout, StringComparison.Ordinal);
    }

    private async Task<AuditRecord> WriteChainAsync(int count)
    {
        var directory = Path.Combine(_dataDir, "audit");
        Directory.CreateDirectory(directory);
        var records = Chain(count);
        await using var file = File.Create(Path.Combine(directory, AuditSegmentFiles.NameFor(1)));
        foreach (var record in records)
        {
            await file.WriteAsync(AuditChain.Line(record), Ct);
        }

        return records[^1];
    }

    private static List<AuditRecord> Chain(int count)
    {
        var prevHash = AuditChain.GenesisHash;
        var records = new List<AuditRecord>();
        for (var seq = 1; seq <= count; seq++)
        {
            var draft = new AuditRecord
            {
                Seq = 0,
                Time = new DateTimeOffset(2026, 12, 2, 12, 0, seq, TimeSpan.Zero),
                Tenant = "acme",
                Actor = "user-1",
                Action = "job.start",
                Target = $"job-{seq}",
                Outcome = "accepted",
                Details = new Dictionary<string, string> { ["detail"] = "python" },
                PrevHash = "",
                Hash = "",
            };
            var record = AuditChain.Seal(draft, seq, prevHash);
            prevHash = record.Hash;
            records.Add(record);
        }

        return records;
    }
}
