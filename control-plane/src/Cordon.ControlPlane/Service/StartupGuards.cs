using System.Runtime.InteropServices;
using Cordon.Logging;
using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Service;

/// <summary>What the process does before and around start-up: its file mode mask and its refusals.</summary>
internal static class StartupGuards
{
    /// <summary>Files 0600 and directories 0700 from here on, whatever the caller's umask (SQLite creates its WAL itself).</summary>
    public static void RestrictFileModes()
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = Umask(0b000_111_111); // 077
        }
    }

    /// <summary>The operator-facing reason when <paramref name="exception"/> is a refused configuration; null otherwise.</summary>
    public static string? RefusalMessage(Exception exception) => exception switch
    {
        OptionsValidationException options => string.Join(" ", options.Failures),
        LogSettingsException logSettings => logSettings.Message,
        AggregateException aggregate when aggregate.InnerExceptions.All(e => e is OptionsValidationException) =>
            string.Join(" ", aggregate.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures)),
        _ => null,
    };

    // DllImport, not LibraryImport: a blittable call needs no marshalling code, and LibraryImport would need the
    // whole assembly compiled with unsafe blocks.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint Umask(uint mask);
#pragma warning restore SYSLIB1054
}
