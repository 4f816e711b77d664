using Microsoft.Extensions.Options;

namespace Cordon.Runner.Hosting;

/// <summary>Turns a failed start into one line for the operator and a named exit code (sysexits), never a stack trace.</summary>
internal static class StartupFailure
{
    /// <summary>EX_CONFIG: a setting is wrong; the message names it and says how to fix it.</summary>
    public const int InvalidConfiguration = 78;

    /// <summary>EX_SOFTWARE: the settings are valid but the runner could not get ready (no OCI runtime, no agent binary…).</summary>
    public const int CouldNotStart = 70;

    public static (int ExitCode, string Message) Describe(Exception exception) => exception switch
    {
        _ when Configuration.RunnerStartupException.Find(exception) is { } refusal => (Configuration.RunnerStartupException.ExitCode, "refusing to start: " + refusal.Message),
        OptionsValidationException e => (InvalidConfiguration, "invalid configuration: " + string.Join("; ", e.Failures)),
        FileNotFoundException or DirectoryNotFoundException or Oci.OciRuntimeException or InvalidDataException or IOException or UnauthorizedAccessException
            => (CouldNotStart, "could not start: " + exception.Message),
        _ => (CouldNotStart, $"could not start: {exception.GetType().Name}: {exception.Message}"),
    };
}
