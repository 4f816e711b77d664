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

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
