using Cordon.Runner.Oci;

namespace Cordon.Runner.UnitTests.Oci;

public sealed class RuntimeGapsTests
{
    [Fact]
    public void Of_Runc_HasNoRuntimeGaps()
    {
        Assert.Empty(RuntimeGaps.Of("runc", []));
        Assert.Empty(RuntimeGaps.Of("/usr/sbin/runc", ["--debug"]));
    }

    [Fact]
    public void Of_RunscWithItsDefaults_ReportsThePtracePlatformAndUsageButNotSeccomp()
    {
        var gaps = RuntimeGaps.Of("/usr/bin/runsc", OciRuntimeFlags.RunscDefaults);

        Assert.Contains(gaps, g => g.Contains("ptrace platform", StringComparison.Ordinal));
        Assert.Contains(gaps, g => g.Contains("usage", StringComparison.Ordinal) && g.Contains("Sentry", StringComparison.Ordinal));
        Assert.DoesNotContain(gaps, g => g.Contains("seccomp", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--network=none")]
    [InlineData("--network=none", "--oci-seccomp=false")]
    [InlineData("--oci-seccomp", "--oci-seccomp=false")]
    public void Of_RunscWithoutOciSeccomp_ReportsThatTheProfileIsNotApplied(params string[] flags)
    {
        Assert.Contains(RuntimeGaps.Of("runsc", flags), g => g.Contains("--oci-seccomp", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--oci-seccomp")]
    [InlineData("--oci-seccomp=true")]
    [InlineData("--oci-seccomp=false", "--oci-seccomp")]
    public void Of_RunscWithOciSeccomp_ReportsNoSeccompGap(params string[] flags)
    {
        Assert.DoesNotContain(RuntimeGaps.Of("runsc", flags), g => g.Contains("seccomp", StringComparison.Ordinal));
    }

    [Fact]
    public void Of_RunscOnAnotherPlatform_DoesNotReportPtrace()
    {
        Assert.DoesNotContain(RuntimeGaps.Of("runsc", ["--platform=kvm", "--oci-seccomp"]), g => g.Contains("ptrace", StringComparison.Ordinal));
    }
}
