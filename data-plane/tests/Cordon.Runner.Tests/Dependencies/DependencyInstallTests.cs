using Cordon.Contracts.Runner.V1;
using Cordon.TestSupport.Packages;

namespace Cordon.Runner.Tests.Dependencies;

/// <summary>
/// Dependency installation for real: pip and npm inside an installing sandbox, reaching only the runner's mirror of
/// a test registry, the allowlist enforced on names, versions and the whole closure, and the set kept read-only for
/// later jobs. Each test names a rule of its own (<see cref="Own"/>), so the cached sets of one never serve another.
/// </summary>
public sealed class DependencyInstallTests(DependencyRunner fixture) : IClassFixture<DependencyRunner>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Python_AllowedRange_InstalledWithinTheAllowlistAndImportable()
    {
        var since = fixture.Registry.Requests.Count;
        var outcome = await fixture.RunAsync("python", "import cordon_greet\nprint(cordon_greet.hello())",
            ["cordon-greet"], [DependencyRunner.Rule("cordon-greet", "<2"), DependencyRunner.Rule("cordon-util"), Own()], Token);

        Assert.True(outcome.Result.Status == ExecStatus.Succeeded, outcome.ToString() + outcome.Result.SetupOutput);
        // 2.0.0 is the newest release, but the allowlist admits only <2: the installer never saw it.
        Assert.Equal("hello from cordon-greet 1.0.0\n", outcome.Stdout);
        Assert.Contains("installed: cordon-greet 1.0.0, cordon-util 1.0.0", outcome.Result.SetupOutput, StringComparison.Ordinal);
        Assert.True(outcome.Result.SetupMs > 0);
        Assert.Contains(Phase.Installing, outcome.Phases);
        Assert.False(fixture.Registry.WasAskedFor(PackageArchives.WheelName(TestPackage.Of("cordon-greet", "2.0.0")), since));
    }

    [Fact]
    public async Task Python_SecondJobWithTheSamePackages_MountsTheKeptSetWithoutTheRegistry()
    {
        PackageRule[] rules = [DependencyRule("cordon-greet", "==2.0.0"), DependencyRule("cordon-util", ""), Own()];
        var first = await fixture.RunAsync("python", "import cordon_greet\nprint(cordon_greet.hello())", ["cordon-greet==2.0.0"], rules, Token);
        var asked = fixture.Registry.Requests.Count;
        var second = await fixture.RunAsync("python", "import cordon_greet\nprint(cordon_greet.hello())", ["cordon-greet==2.0.0"], rules, Token);

        Assert.True(second.Result.Status == ExecStatus.Succeeded, second.ToString() + second.Result.SetupOutput);
        Assert.Equal("hello from cordon-greet 2.0.0\n", first.Stdout);
        Assert.Equal(first.Stdout, second.Stdout);
        Assert.Equal(asked, fixture.Registry.Requests.Count);
        Assert.Contains("from the cache", second.Result.SetupOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Python_TransitiveDependencyOffTheAllowlist_RejectedNamingItAndNeverFetched()
    {
        var outcome = await fixture.RunAsync("python", "print('must not run')", ["cordon-needs-evil==1.0.0"], [DependencyRunner.Rule("cordon-needs-evil"), Own()], Token);

        Assert.Equal(ExecStatus.Rejected, outcome.Result.Status);
        Assert.Contains("'cordon-evil'", outcome.Result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("must not run", outcome.Stdout, StringComparison.Ordinal);
        Assert.False(fixture.Registry.WasAskedFor("/simple/cordon-evil"));
        Assert.False(fixture.Registry.WasAskedFor("cordon_evil-"));
    }

    [Fact]
    public async Task Python_DirectPackageOffTheAllowlist_RejectedBeforeAnyInstall()
    {
        var before = fixture.Registry.Requests.Count;
        var outcome = await fixture.RunAsync("python", "print('must not run')", ["cordon-evil"], [DependencyRunner.Rule("cordon-greet"), Own()], Token);

        Assert.Equal(ExecStatus.Rejected, outcome.Result.Status);
        Assert.Contains("'cordon-evil'", outcome.Result.Error, StringComparison.Ordinal);
        Assert.Equal(before, fixture.Registry.Requests.Count);
    }

    [Fact]
    public async Task Python_PinOutsideTheAllowlistedVersions_FailsAndSaysSo()
    {
        var outcome = await fixture.RunAsync("python", "print('must not run')", ["cordon-greet==2.0.0"], [DependencyRule("cordon-greet", "<2"), DependencyRule("cordon-util", ""), Own()], Token);

        Assert.Equal(ExecStatus.Error, outcome.Result.Status);
        Assert.Contains("held back some versions of 'cordon-greet'", outcome.Result.Error, StringComparison.Ordinal);
        Assert.Contains("cordon-greet==2.0.0", outcome.Result.SetupOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Python_SourceOnlyPackage_IsNeverBuiltSoItsCodeNeverRuns()
    {
        var outcome = await fixture.RunAsync("python", "print('must not run')", ["cordon-sdist-only"], [DependencyRunner.Rule("cordon-sdist-only"), Own()], Token);

        Assert.Equal(ExecStatus.Error, outcome.Result.Status);
        Assert.False(fixture.Registry.WasAskedFor(".tar.gz"));
    }

    [Fact]
    public async Task Python_InstalledSet_IsReadOnlyAndTheRegistryUnreachableFromTheJob()
    {
        var code = """
            import os, subprocess, urllib.request
            try:
                open('/opt/cordon/deps/python/cordon_greet/__init__.py', 'a').write('x')
                print('write: allowed')
            except OSError as e:
                print('write: refused')
            print('mount:', ' '.join(l.split()[5].split(',')[0] for l in open('/proc/self/mountinfo') if l.split()[4] == '/opt/cordon/deps'))
            try:
                urllib.request.urlopen('REGISTRY/files/cordon_evil-1.0.0-py3-none-any.whl', timeout=5)
                print('fetch: allowed')
            except Exception as e:
                print('fetch: refused', type(e).__name__)
            r = subprocess.run(['python3', '-m', 'pip', 'download', '--no-deps', '-d', '/tmp/d', '--index-url', 'http://127.0.0.1:3128/pypi/simple/', 'cordon-evil'], capture_output=True)
            print('pip download exit:', r.returncode)
            """.Replace("REGISTRY", fixture.Registry.Url.TrimEnd('/'), StringComparison.Ordinal);
        var outcome = await fixture.RunAsync("python", code, ["cordon-greet<2"], [DependencyRunner.Rule("cordon-greet"), DependencyRunner.Rule("cordon-util"), Own()], Token);

        Assert.True(outcome.Result.Status == ExecStatus.Succeeded, outcome.ToString() + outcome.Result.SetupOutput);
        Assert.Equal("refused", outcome.Line("write"));
        Assert.Equal("ro", outcome.Line("mount"));
        Assert.StartsWith("refused", outcome.Line("fetch"), StringComparison.Ordinal);
        Assert.NotEqual("0", outcome.Line("pip download exit"));
        Assert.False(fixture.Registry.WasAskedFor("cordon_evil-"));
    }

    [Fact]
    public async Task JavaScript_AllowedRange_InstalledWithinTheAllowlistAndRequirable()
    {
        var since = fixture.Registry.Requests.Count;
        var outcome = await fixture.RunAsync("javascript", "console.log(require('cordon-greet').hello())",
            ["cordon-greet@^1"], [DependencyRunner.Rule("cordon-greet", "<1.2.0"), DependencyRunner.Rule("cordon-util", "^1"), Own()], Token);

        Assert.True(outcome.Result.Status == ExecStatus.Succeeded, outcome.ToString() + outcome.Result.SetupOutput);
        // ^1 alone would pick 1.2.0; the allowlist admits only <1.2.0.
        Assert.Equal("hello from cordon-greet 1.0.0\n", outcome.Stdout);
        Assert.Contains("cordon-util 1.0.0", outcome.Result.SetupOutput, StringComparison.Ordinal);
        Assert.False(fixture.Registry.WasAskedFor(PackageArchives.TarballName(TestPackage.Of("cordon-greet", "1.2.0")), since));
    }

    [Fact]
    public async Task JavaScript_TransitiveDependencyOffTheAllowlist_RejectedNamingIt()
    {
        var outcome = await fixture.RunAsync("javascript", "console.log('must not run')", ["cordon-needs-evil@1.0.0"], [DependencyRunner.Rule("cordon-needs-evil"), Own()], Token);

        Assert.Equal(ExecStatus.Rejected, outcome.Result.Status);
        Assert.Contains("'cordon-evil'", outcome.Result.Error, StringComparison.Ordinal);
        Assert.False(fixture.Registry.WasAskedFor("cordon-evil-1.0.0.tgz"));
    }

    /// <summary>A rule naming this test alone: part of the cache key, never installed.</summary>
    private static PackageRule Own([System.Runtime.CompilerServices.CallerMemberName] string test = "") =>
        DependencyRunner.Rule("cordon-test-" + test.ToLowerInvariant().Replace('_', '-'));

    private static PackageRule DependencyRule(string name, string constraint) => DependencyRunner.Rule(name, constraint);
}
