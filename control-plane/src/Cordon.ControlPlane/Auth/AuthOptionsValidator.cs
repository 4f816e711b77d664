using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Auth;

/// <summary>Refuses configurations that would be unsafe or could never validate a token, saying how to fix them.</summary>
internal sealed class AuthOptionsValidator(AuthMode mode) : IValidateOptions<AuthOptions>
{
    private const string OnlyInDevelopment =
        "only in the environment named exactly 'Development' with a loopback listener (e.g. urls=http://127.0.0.1:8080)";

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        if (options.Bypass && !mode.ConveniencesAllowed)
        {
            failures.Add($"Cordon:Auth:Bypass=true is refused: it lets every request in as a test principal, so it is allowed " +
                $"{OnlyInDevelopment}; here {mode.Where}. Remove Cordon__Auth__Bypass.");
        }

        if (options.DevSigningKey == true && !mode.ConveniencesAllowed)
        {
            failures.Add($"Cordon:Auth:DevSigningKey=true is refused: the local key is allowed {OnlyInDevelopment}; here " +
                $"{mode.Where}. Configure Cordon:Auth:SigningKeys or Cordon:Auth:Authority instead.");
        }

        var usesDevKey = mode.UsesDevKey(options);
        var hasKeys = options.SigningKeys.Count > 0 || !string.IsNullOrEmpty(options.Authority) || !string.IsNullOrEmpty(options.MetadataAddress);
        if (!mode.UsesBypass(options) && !usesDevKey && !hasKeys)
        {
            failures.Add("No token signing keys are configured: set Cordon:Auth:SigningKeys (each { Kid, Key } with Key " +
                "base64url of 32+ random bytes), or Cordon:Auth:Authority / Cordon:Auth:MetadataAddress for a JWKS; " +
                $"the local key in <CORDON_DATA_DIR>/auth is used {OnlyInDevelopment}.");
        }

        for (var i = 0; i < options.SigningKeys.Count; i++)
        {
            if (!SigningKeys.TryDecode(options.SigningKeys[i].Key, out var bytes) || bytes.Length < 32)
            {
                failures.Add($"Cordon:Auth:SigningKeys:{i}:Key must be base64url of at least 32 bytes.");
            }

            if (string.IsNullOrEmpty(options.SigningKeys[i].Issuer ?? options.Issuer))
            {
                failures.Add($"Cordon:Auth:SigningKeys:{i} has no issuer: set its Issuer (or Cordon:Auth:Issuer) to the 'iss' " +
                    "its tokens carry; a key only signs for its own issuer.");
            }
        }

        if ((!string.IsNullOrEmpty(options.Authority) || !string.IsNullOrEmpty(options.MetadataAddress)) && string.IsNullOrEmpty(options.Issuer))
        {
            failures.Add("Cordon:Auth:Issuer is empty: set it to the 'iss' the authority's tokens carry.");
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add("Cordon:Auth:Audience is empty: set it to the 'aud' your tokens carry (default 'cordon').");
        }

        foreach (var algorithm in options.Algorithms ?? [])
        {
            if (!JwtAlgorithms.Supported.Contains(algorithm))
            {
                failures.Add($"Cordon:Auth:Algorithms has '{algorithm}'; use some of {string.Join(", ", JwtAlgorithms.Supported)} ('none' is never accepted).");
            }
        }

        if (options.MaxTokenLifetimeMinutes is < 1 or > 525_600)
        {
            failures.Add("Cordon:Auth:MaxTokenLifetimeMinutes must be between 1 and 525600 (a year).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
