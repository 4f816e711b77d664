using Microsoft.Extensions.Options;

namespace Cordon.Runner.Egress;

/// <summary>Checks what data annotations cannot: that every admitted private range is a CIDR the guard can use.</summary>
internal sealed class EgressOptionsValidator : IValidateOptions<EgressOptions>
{
    private const string Section = EgressOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, EgressOptions options)
    {
        var failures = new List<string>();
        foreach (var entry in options.AllowedPrivateRanges)
        {
            if (!CidrRange.TryParse(entry, out _, out var problem))
            {
                failures.Add($"{Section}:AllowedPrivateRanges entry '{entry}' {problem}: write a CIDR range such as 10.20.0.0/16 or fd00::/8");
            }
        }

        if (!string.IsNullOrEmpty(options.UpstreamCaFile))
        {
            try
            {
                _ = new UpstreamTrust(options.UpstreamCaFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                failures.Add($"{Section}:UpstreamCaFile '{options.UpstreamCaFile}' is not a readable PEM file of CA certificates ({e.Message}): fix the path or unset it");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
