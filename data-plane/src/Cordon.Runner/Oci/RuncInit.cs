using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Cordon.Runner.Oci;

/// <summary>
/// The container's init process as runc records it (<c>state.json</c>): killed directly, after checking that the
/// pid still belongs to it (its start time matches), so a reused pid is never signalled.
/// </summary>
internal static partial class RuncInit
{
    private const int SigKill = 9;

    public static async Task KillAsync(string statePath, CancellationToken cancellationToken)
    {
        int pid;
        ulong start;
        try
        {
            await using var stream = File.OpenRead(statePath);
            using var state = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
            pid = state.RootElement.GetProperty("init_process_pid").GetInt32();
            start = state.RootElement.GetProperty("init_process_start").GetUInt64();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return;
        }

        if (pid <= 1 || StartTime(pid) != start || kill(pid, SigKill) != 0)
        {
            return;
        }

        for (var i = 0; i < 500 && StartTime(pid) == start; i++)
        {
            await Task.Delay(1, cancellationToken);
        }
    }

    /// <summary>Field 22 of /proc/pid/stat (start time in clock ticks), or null when the process is gone or a zombie.</summary>
    private static ulong? StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields[0] is "Z" or "X" ? null : ulong.Parse(fields[19], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
