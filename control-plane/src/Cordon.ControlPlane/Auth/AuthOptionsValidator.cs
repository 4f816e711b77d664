using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Auth;

/// <summary>Refuses configurations that would be unsafe or could never validate a token, saying how to fix them.</summary>
internal sealed class AuthOptionsValidator(IHostEnvironment environment) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        var production = environment.IsProduction();
        if (options.Bypass && production)
        {
            failures.Add("Cordon:Auth:Bypass=true is refused in the Production environment: it lets every request in " +
                "as a test principal. Remove Cordon__Auth__Bypass, or run with ASPNETCORE_ENVIRONMENT=Development for testing.");
        }

        if (options.DevSigningKey == true && production)
        {
            failures.Add("Cordon:Auth:DevSigningKey=true is refused in the Production environment: configure " +
                "Cordon:Auth:SigningKeys or Cordon:Auth:Authority instead.");
        }

        var usesDevKey = options.DevSigningKey ?? environment.IsDevelopment();
        var hasKeys = options.SigningKeys.Count > 0 || !string.IsNullOrEmpty(options.Authority) || !string.IsNullOrEmpty(options.MetadataAddress);
        if (!options.Bypass && !usesDevKey && !hasKeys)
        {
            failures.Add("No token signing keys are configured: set Cordon:Auth:SigningKeys (each { Kid, Key } with Key " +
                "base64url of 32+ random bytes), or Cordon:Auth:Authority / Cordon:Auth:MetadataAddress for a JWKS; " +
                "in Development the local key in <CORDON_DATA_DIR>/auth is used.");
        }

        if (!usesDevKey && !options.Bypass && string.IsNullOrEmpty(options.Issuer) && hasKeys)
        {
            failures.Add("Cordon:Auth:Issuer is empty: set it to the 'iss' your tokens carry.");
        }

        for (var i = 0; i < options.SigningKeys.Count; i++)
        {
            if (!SigningKeys.TryDecode(options.SigningKeys[i].Key, out var bytes) || bytes.Length < 32)
            {
                failures.Add($"Cordon:Auth:SigningKeys:{i}:Key must be base64url of at least 32 bytes.");
            }
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add("Cordon:Auth:Audience is empty: set it to the 'aud' your tokens carry (default 'cordon').");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
