using Cordon.ControlPlane.Scheduling;
using Microsoft.Extensions.Time.Testing;

namespace Cordon.ControlPlane.Tests.Scheduling;

public sealed class RunnerFailureStreakTests
{
    private static readonly TimeSpan DownAfter = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Fail_ManyFailuresWithinTheSpan_NotLost()
    {
        var streak = new RunnerFailureStreak();
        for (var i = 0; i < 9; i++)
        {
            var started = _time.GetUtcNow();
            _time.Advance(TimeSpan.FromSeconds(1));
            Assert.False(streak.Fail(started, _time.GetUtcNow(), 3, DownAfter), $"lost after {i + 1} failures over {i + 1} s");
        }
    }

    [Fact]
    public void Fail_EnoughFailuresOverTheSpan_Lost()
    {
        var streak = new RunnerFailureStreak();
        var first = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.False(streak.Fail(first, _time.GetUtcNow(), 3, DownAfter));
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(streak.Fail(_time.GetUtcNow() - TimeSpan.FromSeconds(3), _time.GetUtcNow(), 3, DownAfter));
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.True(streak.Fail(_time.GetUtcNow() - TimeSpan.FromSeconds(3), _time.GetUtcNow(), 3, DownAfter));
    }

    [Fact]
    public void Fail_LongSpanButTooFewFailures_NotLost()
    {
        var streak = new RunnerFailureStreak();
        var first = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.False(streak.Fail(first, _time.GetUtcNow(), 3, DownAfter));
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.False(streak.Fail(first, _time.GetUtcNow(), 3, DownAfter));
        Assert.Equal(2, streak.Count);
    }

    [Fact]
    public void Reset_AfterSuccess_SpanStartsAgain()
    {
        var streak = new RunnerFailureStreak();
        var first = _time.GetUtcNow();
        streak.Fail(first, first, 3, DownAfter);
        streak.Fail(first, first, 3, DownAfter);
        _time.Advance(TimeSpan.FromSeconds(20));
        streak.Reset();

        var now = _time.GetUtcNow();
        Assert.False(streak.Fail(now, now, 3, DownAfter));
        Assert.False(streak.Fail(now, now, 3, DownAfter));
        Assert.False(streak.Fail(now, now, 3, DownAfter)); // 3 failures, but 0 s since this streak began
        _time.Advance(DownAfter);
        Assert.True(streak.Fail(now, _time.GetUtcNow(), 3, DownAfter));
    }
}
