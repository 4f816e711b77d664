using Cordon.Packages;

namespace Cordon.Runner.Dependencies;

/// <summary>
/// The runtime's own installer, pointed at the mirror: <c>pip install --target</c> of wheels only, <c>npm install</c>
/// with lifecycle scripts off — so no package code runs while installing. The requirements are the parsed ones
/// (a name and a version constraint, nothing else), quoted for the shell.
/// </summary>
internal static class InstallCommand
{
    public static string For(string ecosystem, IEnumerable<PackageRequirement> requirements)
    {
        var specs = string.Join(' ', requirements.Select(r => Quote(r.ToolSpec(ecosystem))));
        return ecosystem == PackageNames.Python
            ? $"exec python3 -m pip install --no-input --disable-pip-version-check --no-cache-dir --only-binary=:all: --no-warn-script-location "
                + $"--target {PackageMount.InSandbox}/{InstalledPackages.PythonDirectory} --index-url {RegistryMirror.PythonIndexInSandbox} {specs}"
            : $"cd {PackageMount.InSandbox} && printf '%s' '{{\"name\":\"cordon-dependencies\",\"private\":true}}' > package.json && "
                + $"exec npm install --no-audit --no-fund --ignore-scripts --no-package-lock --no-update-notifier --loglevel=http "
                + $"--registry {RegistryMirror.NpmRegistryInSandbox} --cache /tmp/npm-cache {specs}";
    }

    /// <summary>The installer's environment: nothing of the job's, no user or global configuration.</summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["HOME"] = "/tmp",
        ["PIP_CONFIG_FILE"] = "/dev/null",
        ["PYTHONNOUSERSITE"] = "1",
        ["npm_config_userconfig"] = "/tmp/cordon-no-user-npmrc",
        ["npm_config_globalconfig"] = "/tmp/cordon-no-global-npmrc",
        ["NO_COLOR"] = "1",
    };

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
