using Cordon.Init.Native;

namespace Cordon.Init.Processes;

/// <summary>Decodes a waitpid status word.</summary>
internal static class WaitStatus
{
    public static int? ExitCode(int status) => (status & 0x7f) == 0 ? (status >> 8) & 0xff : null;

    public static string? SignalName(int status)
    {
        var signal = status & 0x7f;
        return signal is not 0 and not 0x7f ? Signals.Name(signal) : null;
    }
}
