using Cordon.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Cordon.ControlPlane.Tests.Logging;

public sealed class CordonConsoleFormatterTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 1, TimeSpan.Zero));

    [Fact]
    public void Write_MessageWithNewlines_OneLineWithTheNewlinesEscaped()
    {
        var text = Format("subject=user\n[fake] admin logged in\r\n\u001b[2J", exception: null);

        Assert.Equal("12:00:01 info: Cordon.Test[7] subject=user\\n[fake] admin logged in\\r\\n\\u001b[2J\n", text);
    }

    [Fact]
    public void Write_Exception_FollowsOnIndentedLinesSoNoneStartsARecord()
    {
        var text = Format("failed", new InvalidOperationException("bad\n[fake] forged record"));

        var lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal("12:00:01 info: Cordon.Test[7] failed", lines[0]);
        Assert.All(lines.Skip(1), line => Assert.StartsWith("    ", line, StringComparison.Ordinal));
        Assert.Contains("    [fake] forged record", lines);
    }

    private static string Format(string message, Exception? exception)
    {
        var options = new ConsoleFormatterOptions { TimestampFormat = "HH:mm:ss ", UseUtcTimestamp = true };
        var formatter = new CordonConsoleFormatter(new StaticOptions(options), Clock);
        using var writer = new StringWriter();
        formatter.Write(new LogEntry<string>(LogLevel.Information, "Cordon.Test", new EventId(7), message, exception, (s, _) => s), null, writer);
        return writer.ToString();
    }

    private sealed class StaticOptions(ConsoleFormatterOptions value) : IOptionsMonitor<ConsoleFormatterOptions>
    {
        public ConsoleFormatterOptions CurrentValue => value;

        public ConsoleFormatterOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<ConsoleFormatterOptions, string?> listener) => null;
    }
}
