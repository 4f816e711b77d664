using System.Text;
using Cordon.Client.Jobs;
using Cordon.Contracts.Jobs;

namespace Cordon.Client.Tests;

public sealed class JobEventParserTests
{
    private const string Stream =
        ": keep-alive comment\r\n" +
        "retry: 1000\r\n\r\n" +
        "id: 1\nevent: status\ndata: {\"status\":\"running\"}\n\n" +
        "id: 2\nevent: stdout\ndata: {\"data\":\"héllo\\n\"}\n\n" +
        // One JSON value over two data lines: the parser joins them with a newline, which JSON ignores.
        "id: 3\r\nevent: stderr\r\ndata: {\"data\":\r\ndata: \"warn: ünïcode 🚀\"}\r\n\r\n" +
        "id: 4\nevent: heartbeat\ndata: {}\n\n" +
        "id: 5\nevent: result\ndata: {\"id\":\"job-1\",\"status\":\"succeeded\",\"language\":\"python\",\"exitCode\":0,\"createdAt\":\"2026-01-01T00:00:00Z\"}\n\n";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(100_000)]
    public async Task ReadAsync_ChunksSplitAnywhere_YieldTheSameTypedEvents(int chunkSize)
    {
        var events = await ReadAllAsync(new ChunkedStream(Encoding.UTF8.GetBytes(Stream), chunkSize));

        Assert.Collection(
            events,
            e => Assert.Equal(new JobStatusChange { Status = JobStatus.Running, EventId = "1" }, e),
            e => Assert.Equal(new JobOutputChunk { Stream = JobOutputStream.Stdout, Text = "héllo\n", EventId = "2" }, e),
            e => Assert.Equal(new JobOutputChunk { Stream = JobOutputStream.Stderr, Text = "warn: ünïcode 🚀", EventId = "3" }, e),
            e =>
            {
                var result = Assert.IsType<JobResultEvent>(e);
                Assert.Equal("5", result.EventId);
                Assert.Equal(JobStatus.Succeeded, result.Job.Status);
                Assert.Equal(0, result.Job.ExitCode);
            });
    }

    [Fact]
    public async Task ReadAsync_EventWithoutId_KeepsTheLastId()
    {
        const string text = "id: 7\nevent: stdout\ndata: {\"data\":\"a\"}\n\nevent: stdout\ndata: {\"data\":\"b\"}\n\n";

        var events = await ReadAllAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)));

        Assert.Equal(["7", "7"], events.Select(e => e.EventId));
    }

    [Fact]
    public async Task ReadAsync_MalformedData_Throws()
    {
        const string text = "id: 1\nevent: stdout\ndata: not json\n\n";

        await Assert.ThrowsAnyAsync<System.Text.Json.JsonException>(() => ReadAllAsync(new MemoryStream(Encoding.UTF8.GetBytes(text))));
    }

    private static async Task<List<JobStreamEvent>> ReadAllAsync(Stream stream)
    {
        var events = new List<JobStreamEvent>();
        await foreach (var item in JobEventParser.ReadAsync(stream, TestContext.Current.CancellationToken))
        {
            events.Add(item);
        }

        return events;
    }
}
