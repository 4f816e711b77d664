using Microsoft.Extensions.Options;

namespace Cordon.Runner.Dependencies;

/// <summary>Checks the registry URLs and file hosts, which data annotations cannot.</summary>
internal sealed class DependencyOptionsValidator : IValidateOptions<DependencyOptions>
{
    private const string Section = DependencyOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, DependencyOptions options)
    {
        var failures = new List<string>();
        CheckRegistry(nameof(options.PythonIndexUrl), options.PythonIndexUrl, failures);
        CheckRegistry(nameof(options.NpmRegistryUrl), options.NpmRegistryUrl, failures);
        foreach (var host in options.FileHosts)
        {
            if (!RegistryHosts.TryParse(host, out _))
            {
                failures.Add($"{Section}:FileHosts entry '{host}' is not a host name or host:port");
            }
        }

        if (options.RegistryCaFile is { Length: > 0 } ca && !File.Exists(ca))
        {
            failures.Add($"{Section}:RegistryCaFile '{ca}' does not exist");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckRegistry(string key, string value, List<string> failures)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            failures.Add($"{Section}:{key} '{value}' must be an http or https URL without query or fragment, e.g. https://pypi.org/simple/");
        }
    }
}
