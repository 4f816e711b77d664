using System.Diagnostics;
using Cordon.Contracts.Runner.Agent;
using Cordon.Runner.Agent;
using Cordon.Runner.Execution;

namespace Cordon.Runner.Tests.Agent;

/// <summary>
/// Issue 15 item 1, runner side: whatever sits at the far end of the channel, the runner accepts only what the
/// real agent promises — bounded frames per kind and request, output within the request's limit, replies of the
/// requested type and size, and an answer by the deadline.
/// </summary>
public sealed class AgentClientLimitsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OutputFrame_Over64KiB_IsAProtocolViolation()
    {
        using var agent = new FakeAgent(async (_, stream) => await FakeAgent.WriteAsync(stream, AgentFrameKind.Stdout, (64 * 1024) + 1));
        var forwarded = 0L;

        var error = await Assert.ThrowsAsync<AgentUnavailableException>(() => agent.Client.CallAsync<AgentExit>(Spawn(outputBytes: 1 << 20), Count(b => forwarded += b), Deadline, Token));

        Assert.Contains("broke the protocol", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, forwarded);
    }

    [Fact]
    public async Task Output_PastTheRequestsLimit_IsCountedHereAndRefused()
    {
        using var agent = new FakeAgent(async (_, stream) =>
        {
            for (var i = 0; i < 64; i++)
            {
                await FakeAgent.WriteAsync(stream, AgentFrameKind.Stdout, 64 * 1024);
            }
        });
        var forwarded = 0L;

        var error = await Assert.ThrowsAsync<AgentUnavailableException>(() => agent.Client.CallAsync<AgentExit>(Spawn(outputBytes: 100_000), Count(b => forwarded += b), Deadline, Token));

        // The frame that would cross the limit is refused by its header (it may be at most what is left).
        Assert.Contains("broke the protocol", error.Message, StringComparison.Ordinal);
        Assert.InRange(forwarded, 0, 100_000);
    }

    [Fact]
    public async Task Output_ForARequestThatHasNone_IsRefused()
    {
        using var agent = new FakeAgent(async (_, stream) => await FakeAgent.WriteAsync(stream, AgentFrameKind.Stderr, 10));

        await Assert.ThrowsAsync<AgentUnavailableException>(() => agent.Client.CallAsync<AgentOk>(new AgentDeleteFile { Path = "x" }, null, Deadline, Token));
    }

    [Fact]
    public async Task ReplyFrame_TooLargeForItsRequest_IsRefusedBeforeItIsRead()
    {
        // A 60 MiB "health" reply: the header alone decides; the body is never allocated or read.
        using var agent = new FakeAgent(async (_, stream) =>
        {
            var header = new byte[5];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header, (60 * 1024 * 1024) + 1);
            header[4] = (byte)AgentFrameKind.Message;
            await stream.WriteAsync(header);
            await Task.Delay(TimeSpan.FromSeconds(30));
        });
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<AgentUnavailableException>(() => agent.Client.CallAsync<AgentHealth>(new AgentHealthQuery(), null, Deadline, Token));

        Assert.Contains("out of range", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < Deadline, $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Listing_OverTheEntryLimit_IsRefused()
    {
        using var agent = new FakeAgent((_, stream) => FakeAgent.ReplyAsync(stream, new AgentFileList
        {
            Entries = [.. Enumerable.Range(0, AgentLimits.MaxListEntries + 1).Select(i => new AgentFileEntry($"f{i}", 0, false, 0))],
        }));

        var error = await Assert.ThrowsAsync<AgentUnavailableException>(() => agent.Client.CallAsync<AgentFileList>(new AgentListFiles(), null, Deadline, Token));

        Assert.Contains("entries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FileContent_LargerThanRequested_IsRefused()
    {
        using var agent = new FakeAgent((_, stream) => FakeAgent.ReplyAsync(stream, new AgentFileContent { Content = new byte[2048] }));

        await Assert.ThrowsAsync<AgentUnavailableException>(() => agent.Client.CallAsync<AgentFileContent>(new AgentReadFile { Path = "a", MaxBytes = 1024 }, null, Deadline, Token));
    }

    [Fact]
    public async Task Reply_OfAnotherType_IsRefused_AndAnAgentError_IsTyped()
    {
        using var agent = new FakeAgent((request, stream) => FakeAgent.ReplyAsync(stream, request is AgentReadFile
            ? new AgentOk()
            : new AgentError { Code = AgentErrorCodes.NotFound, Message = "'x' does not exist" }));

        await Assert.ThrowsAsync<AgentUnavailableException>(() => agent.Client.CallAsync<AgentFileContent>(new AgentReadFile { Path = "a" }, null, Deadline, Token));
        var error = await Assert.ThrowsAsync<AgentRequestException>(() => agent.Client.CallAsync<AgentOk>(new AgentDeleteFile { Path = "x" }, null, Deadline, Token));
        Assert.Equal(AgentErrorCodes.NotFound, error.Code);
    }

    [Fact]
    public async Task SilentAgent_EndsTheCallAtItsDeadline()
    {
        using var agent = new FakeAgent(async (_, _) => await Task.Delay(TimeSpan.FromSeconds(30)));
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<AgentUnavailableException>(() => agent.Client.CallAsync<AgentOk>(new AgentDeleteFile { Path = "x" }, null, TimeSpan.FromMilliseconds(300), Token));

        Assert.True(error.DeadlinePassed);
        Assert.InRange(clock.ElapsedMilliseconds, 250, 5000);
    }

    [Fact]
    public async Task WellBehavedAgent_OutputAndExit_AreDelivered()
    {
        using var agent = new FakeAgent(async (_, stream) =>
        {
            await FakeAgent.WriteAsync(stream, AgentFrameKind.Stdout, 64 * 1024);
            await FakeAgent.WriteAsync(stream, AgentFrameKind.Stderr, 10);
            await FakeAgent.ReplyAsync(stream, new AgentExit { ExitCode = 0, StartedAtUnixMs = 1, DurationMs = 1 });
        });
        var forwarded = 0L;

        var exit = await agent.Client.CallAsync<AgentExit>(Spawn(outputBytes: (64 * 1024) + 10), Count(b => forwarded += b), Deadline, Token);

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal((64 * 1024) + 10, forwarded);
    }

    private static AgentSpawn Spawn(long outputBytes) => new() { Argv = ["true"], OutputBytes = outputBytes, TimeoutMs = 1000 };

    private static AgentClient.OutputHandler Count(Action<int> add) => (_, data) =>
    {
        add(data.Length);
        return ValueTask.CompletedTask;
    };
}
