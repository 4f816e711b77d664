using System.Security.Cryptography;
using System.Text;
using Cordon.Runner.Configuration;

namespace Cordon.Runner.Grpc;

/// <summary>
/// The shared secret the control plane presents. Configured, or generated once into the data directory: written
/// to a new file created 0600 and renamed into place, so the token file is never empty, partial or readable by
/// others. Shorter than <see cref="MinimumBytes"/> is refused, an empty one above all (it would match an empty header).
/// </summary>
internal sealed record ServiceToken
{
    public const int MinimumBytes = 32;

    public ServiceToken(string value)
    {
        if (Encoding.UTF8.GetByteCount(value) < MinimumBytes)
        {
            throw new RunnerStartupException($"the runner's service token has {Encoding.UTF8.GetByteCount(value)} bytes; at least {MinimumBytes} are required (e.g. openssl rand -hex 32)");
        }

        Value = value;
    }

    public string Value { get; }

    public static ServiceToken Resolve(string? configured, string dataDirectory)
    {
        if (configured is not null)
        {
            return Checked(configured.Trim(), "Cordon:Runner:ServiceToken");
        }

        var file = Path.Combine(dataDirectory, "service-token");
        if (File.Exists(file))
        {
            return Checked(File.ReadAllText(file).Trim(), file);
        }

        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var staging = $"{file}.{Environment.ProcessId}.new";
        using (var stream = new FileStream(staging, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            stream.Write(Encoding.UTF8.GetBytes(token));
            stream.Flush(flushToDisk: true);
        }

        File.Move(staging, file, overwrite: false);
        return new ServiceToken(token);
    }

    private static ServiceToken Checked(string value, string source) =>
        Encoding.UTF8.GetByteCount(value) >= MinimumBytes
            ? new ServiceToken(value)
            : throw new RunnerStartupException($"the runner's service token from {source} has {Encoding.UTF8.GetByteCount(value)} bytes; at least {MinimumBytes} are required (e.g. openssl rand -hex 32){(source.StartsWith('/') ? "; delete the file to have one generated" : "")}");
}
