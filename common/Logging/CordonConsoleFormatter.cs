using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Cordon.Logging;

/// <summary>
/// Cordon's default console format: one record per line, <c>12:00:01 info: Category[id] message</c>. The message is
/// escaped by <see cref="LogText"/>, so a value from outside that holds a newline (a token's subject, a request path,
/// an agent's error) stays inside its record instead of forging the next one. An exception follows on lines indented
/// by four spaces, so nothing in it can start a record either.
/// </summary>
internal sealed class CordonConsoleFormatter(IOptionsMonitor<ConsoleFormatterOptions> options, TimeProvider timeProvider)
    : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "cordon";

    // A record far past this is a bug or an attack; its head says enough.
    private const int MaxMessageChars = 16 * 1024;

    // Unless Logging:Console:FormatterOptions:TimestampFormat says otherwise ("" for none): a terminal's time of day.
    private const string DefaultTimestampFormat = "HH:mm:ss ";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }

        var settings = options.CurrentValue;
        var line = new StringBuilder(message.Length + 96);
        var timestampFormat = settings.TimestampFormat ?? DefaultTimestampFormat;
        if (timestampFormat.Length > 0)
        {
            var now = settings.UseUtcTimestamp ? timeProvider.GetUtcNow() : timeProvider.GetLocalNow();
            line.Append(now.ToString(timestampFormat, CultureInfo.InvariantCulture));
        }

        line.Append(Level(logEntry.LogLevel)).Append(": ").Append(logEntry.Category)
            .Append('[').Append(logEntry.EventId.Id.ToString(CultureInfo.InvariantCulture)).Append("] ");
        LogText.AppendEscaped(line, message ?? "", MaxMessageChars);
        line.Append('\n');
        if (logEntry.Exception is { } exception)
        {
            foreach (var exceptionLine in exception.ToString().Split('\n'))
            {
                line.Append("    ");
                LogText.AppendEscaped(line, exceptionLine.TrimEnd('\r'), MaxMessageChars);
                line.Append('\n');
            }
        }

        textWriter.Write(line.ToString());
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
