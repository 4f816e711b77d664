using System.Security.Cryptography;

namespace Cordon.Runner.Grpc;

/// <summary>The shared secret the control plane presents. Configured, or generated once into the data directory.</summary>
internal sealed record ServiceToken(string Value)
{
    public static ServiceToken Resolve(string? configured, string dataDirectory)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new ServiceToken(configured.Trim());
        }

        var file = Path.Combine(dataDirectory, "service-token");
        if (File.Exists(file))
        {
            return new ServiceToken(File.ReadAllText(file).Trim());
        }

        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(file, token);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return new ServiceToken(token);
    }
}
