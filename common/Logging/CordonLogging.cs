using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Console;

namespace Cordon.Logging;

/// <summary>
/// The logging both services start with: warnings and errors from everything, plus Cordon's own lifecycle events
/// (started, listening, runner up or down, audit) at information; one escaped record per line on the console.
/// The defaults sit below every other configuration source, so <c>Logging:LogLevel:*</c> and
/// <c>Logging:Console:FormatterName</c> in appsettings, environment (<c>Logging__LogLevel__Default</c>) or command
/// line override them; <c>CORDON_LOG_LEVEL</c> and <c>CORDON_LOG_FORMAT</c> override everything.
/// </summary>
internal static class CordonLogging
{
    /// <summary>Sets the level of everything (ASP.NET Core, EF Core, gRPC and Cordon alike): <c>Debug</c>, <c>Information</c>, …</summary>
    public const string LevelVariable = "CORDON_LOG_LEVEL";

    /// <summary>The console format: <c>cordon</c> (default, one escaped line per record) or <c>json</c> (one JSON object per line).</summary>
    public const string FormatVariable = "CORDON_LOG_FORMAT";

    private static readonly string[] Formats = [CordonConsoleFormatter.FormatterName, ConsoleFormatterNames.Json, ConsoleFormatterNames.Simple, ConsoleFormatterNames.Systemd];

    public static IHostApplicationBuilder AddCordonLogging(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = nameof(LogLevel.Warning),
                // "Now listening on", "Application started", "Application is shutting down".
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = nameof(LogLevel.Information),
                ["Logging:LogLevel:Cordon"] = nameof(LogLevel.Information),
                ["Logging:Console:FormatterName"] = CordonConsoleFormatter.FormatterName,
            },
        });

        var overrides = new Dictionary<string, string?>();
        if (builder.Configuration[LevelVariable] is { Length: > 0 } level)
        {
            if (!Enum.TryParse<LogLevel>(level, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || char.IsAsciiDigit(level[0]))
            {
                throw new LogSettingsException(
                    $"{LevelVariable}='{LogText.Escape(level, 32)}' is not a log level; use one of {string.Join(", ", Enum.GetNames<LogLevel>())}.");
            }

            overrides["Logging:LogLevel:Default"] = parsed.ToString();
            overrides["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = parsed.ToString();
            overrides["Logging:LogLevel:Cordon"] = parsed.ToString();
        }

        if (builder.Configuration[FormatVariable] is { Length: > 0 } format)
        {
            if (!Formats.Contains(format, StringComparer.OrdinalIgnoreCase))
            {
                throw new LogSettingsException($"{FormatVariable}='{LogText.Escape(format, 32)}' is not a log format; use one of {string.Join(", ", Formats)}.");
            }

            overrides["Logging:Console:FormatterName"] = format.ToLowerInvariant();
            if (format.Equals(ConsoleFormatterNames.Json, StringComparison.OrdinalIgnoreCase) && builder.Configuration["Logging:Console:FormatterOptions:TimestampFormat"] is null)
            {
                // Records for a collector: a full UTC timestamp in each.
                overrides["Logging:Console:FormatterOptions:TimestampFormat"] = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
                overrides["Logging:Console:FormatterOptions:UseUtcTimestamp"] = "true";
            }
        }

        if (overrides.Count > 0)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Logging.AddConsoleFormatter<CordonConsoleFormatter, ConsoleFormatterOptions>();
        return builder;
    }
}
