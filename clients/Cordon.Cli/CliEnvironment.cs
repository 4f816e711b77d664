using Cordon.Client;

namespace Cordon.Cli;

/// <summary>Where the CLI finds Cordon: <c>CORDON_URL</c> and <c>CORDON_TOKEN</c>.</summary>
internal static class CliEnvironment
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    public static Uri Url
    {
        get
        {
            var value = Environment.GetEnvironmentVariable("CORDON_URL");
            if (string.IsNullOrWhiteSpace(value))
            {
                return new Uri(DefaultUrl);
            }

            return Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? uri
                : throw new CliException($"CORDON_URL is not an http(s) URL: '{value}'", ExitCodes.Config);
        }
    }

    public static string? Token => Environment.GetEnvironmentVariable("CORDON_TOKEN") is { Length: > 0 } token ? token.Trim() : null;

    /// <summary>The display form of the URL, for messages.</summary>
    public static string DisplayUrl => Url.AbsoluteUri.TrimEnd('/');

    public static CordonClient CreateClient() => new(Url, Token);
}
