using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Policy;

/// <summary>The OPA engine needs an absolute http(s) URL; say so at start-up rather than deny every request.</summary>
internal sealed class PolicyOptionsValidator : IValidateOptions<PolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, PolicyOptions options)
    {
        if (!options.IsOpa)
        {
            return ValidateOptionsResult.Success;
        }

        return Uri.TryCreate(options.OpaUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Cordon:Policy:Engine is 'opa' but Cordon:Policy:OpaUrl is not an absolute http(s) URL; set it to OPA's address, e.g. http://127.0.0.1:8181.");
    }
}
