using System.Security.Cryptography;
using System.Text;

namespace Cordon.Runner.Hosting;

/// <summary>
/// The shared bearer token the control plane presents. Taken from <c>Cordon:Runner:ServiceToken</c>, else the
/// first line of <c>Cordon:Runner:ServiceTokenFile</c>; in Development only, a random token is generated once
/// into <c>&lt;data&gt;/service-token</c> (mode 0600) for the local control plane to read. Anything else refuses
/// to start: a runner never serves unauthenticated.
/// </summary>
internal sealed class ServiceToken
{
    public const string DevFileName = "service-token";

    private readonly byte[] _token;

    private ServiceToken(string token) => _token = Encoding.UTF8.GetBytes(token);

    public static ServiceToken Resolve(RunnerOptions options, bool isDevelopment)
    {
        if (!string.IsNullOrWhiteSpace(options.ServiceToken))
        {
            return new ServiceToken(options.ServiceToken.Trim());
        }

        if (!string.IsNullOrWhiteSpace(options.ServiceTokenFile))
        {
            var line = File.ReadLines(options.ServiceTokenFile).FirstOrDefault()?.Trim();
            return string.IsNullOrEmpty(line)
                ? throw new InvalidOperationException($"Cordon:Runner:ServiceTokenFile {options.ServiceTokenFile} is empty.")
                : new ServiceToken(line);
        }

        if (!isDevelopment)
        {
            throw new InvalidOperationException(
                "No service token: set Cordon:Runner:ServiceToken or Cordon:Runner:ServiceTokenFile (a development token is generated only when DOTNET_ENVIRONMENT/ASPNETCORE_ENVIRONMENT is Development).");
        }

        var path = Path.Combine(options.ResolveDataDir(), DevFileName);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            file.Write(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)) + "\n"));
        }

        return new ServiceToken(File.ReadLines(path).First().Trim());
    }

    /// <summary>Checks an <c>authorization</c> header value in constant time.</summary>
    public bool Matches(string? authorization)
    {
        const string prefix = "Bearer ";
        if (authorization is null || !authorization.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(authorization[prefix.Length..].Trim()), _token);
    }
}
