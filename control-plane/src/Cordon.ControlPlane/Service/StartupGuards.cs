using System.Globalization;
using System.Runtime.InteropServices;
using Cordon.Logging;
using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Service;

/// <summary>What the process does before and around start-up: its file mode mask, its OOM score and its refusals.</summary>
internal static class StartupGuards
{
    /// <summary>Below zero, like the runner: under memory pressure the kernel takes sandboxes' jobs (1000) first.</summary>
    public const int OomScoreAdj = -500;

    /// <summary>Files 0600 and directories 0700 from here on, whatever the caller's umask (SQLite creates its WAL itself).</summary>
    public static void RestrictFileModes()
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = Umask(0b000_111_111); // 077
        }
    }

    /// <summary>
    /// Puts the control plane at <see cref="OomScoreAdj"/>, so the OOM killer never takes the process that holds
    /// the queue and the streams while a job is the better victim.
    /// </summary>
    /// <returns>Why it could not (lowering the score needs CAP_SYS_RESOURCE), for a warning at start; else null.</returns>
    public static string? ProtectFromOomKiller(string path = "/proc/self/oom_score_adj")
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            File.WriteAllText(path, OomScoreAdj.ToString(CultureInfo.InvariantCulture));
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cordon-control could not set its oom_score_adj to {OomScoreAdj} (lowering it needs CAP_SYS_RESOURCE): set OOMScoreAdjust={OomScoreAdj} in its service unit";
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
