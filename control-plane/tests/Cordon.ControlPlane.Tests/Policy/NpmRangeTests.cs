using Cordon.Packages;

namespace Cordon.ControlPlane.Tests.Policy;

/// <summary>
/// npm ranges and SemVer ordering. Every expected value in the satisfies table was checked against npm's own
/// <c>semver</c> package (semver.satisfies) when the table was written.
/// </summary>
public sealed class NpmRangeTests
{
    [Theory]
    [InlineData("^4.17.0", "4.17.21", true)]
    [InlineData("^4.17.0", "5.0.0", false)]
    [InlineData("^4.17.0", "4.16.9", false)]
    [InlineData("^0.2.3", "0.2.9", true)]
    [InlineData("^0.2.3", "0.3.0", false)]
    [InlineData("^0.0.3", "0.0.3", true)]
    [InlineData("^0.0.3", "0.0.4", false)]
    [InlineData("^0.0", "0.0.9", true)]
    [InlineData("^0.0", "0.1.0", false)]
    [InlineData("^0.x", "0.9.9", true)]
    [InlineData("^1.2.x", "1.9.0", true)]
    [InlineData("^1.2.3-beta.2", "1.2.3-beta.4", true)]
    [InlineData("^1.2.3-beta.2", "1.2.4-beta.2", false)]
    [InlineData("^1.2.3-beta.2", "1.2.3-alpha.9", false)]
    [InlineData("~1.2.3", "1.2.9", true)]
    [InlineData("~1.2.3", "1.3.0", false)]
    [InlineData("~1.2", "1.2.0", true)]
    [InlineData("~1", "1.9.9", true)]
    [InlineData("~1", "2.0.0", false)]
    [InlineData("~>1.2.3", "1.2.5", true)]
    [InlineData("1.x", "1.5.5", true)]
    [InlineData("1.x", "2.0.0-alpha", false)]
    [InlineData("1.2.*", "1.2.7", true)]
    [InlineData("1.2.*", "1.3.0", false)]
    [InlineData("*", "99.0.0", true)]
    [InlineData("*", "1.0.0-rc.1", false)]
    [InlineData("", "2.0.0", true)]
    [InlineData("1.2.3 - 2.3.4", "2.3.4", true)]
    [InlineData("1.2.3 - 2.3.4", "2.3.5", false)]
    [InlineData("1.2 - 2.3.4", "1.2.0", true)]
    [InlineData("1.2.3 - 2.3", "2.3.9", true)]
    [InlineData("1.2.3 - 2.3", "2.4.0", false)]
    [InlineData("1.2.3 - 2", "2.9.9", true)]
    [InlineData(">=1.2.7 <1.3.0", "1.2.8", true)]
    [InlineData(">=1.2.7 <1.3.0", "1.3.0", false)]
    [InlineData("1.2.7 || >=1.2.9 <2.0.0", "1.2.8", false)]
    [InlineData("1.2.7 || >=1.2.9 <2.0.0", "1.2.9", true)]
    [InlineData(">1", "2.0.0", true)]
    [InlineData(">1", "1.9.9", false)]
    [InlineData(">1.2", "1.3.0", true)]
    [InlineData(">1.2", "1.2.9", false)]
    [InlineData("<1.2", "1.1.9", true)]
    [InlineData("<1.2", "1.2.0-beta", false)]
    [InlineData("<=1.2", "1.2.9", true)]
    [InlineData("<=1.2", "1.3.0", false)]
    [InlineData("=1.2", "1.2.5", true)]
    [InlineData("1.2.3", "1.2.3", true)]
    [InlineData("1.2.3", "1.2.4", false)]
    [InlineData(">= 1.2.3", "1.2.3", true)]
    [InlineData(">=1.0.0-rc.1", "1.0.0-rc.2", true)]
    [InlineData(">=1.0.0-rc.1", "1.0.1-rc.1", false)]
    [InlineData("<2.0.0", "2.0.0-alpha", false)]
    [InlineData("1.2.3+build", "1.2.3", true)]
    [InlineData(">=1.0.0 <2.0.0-0", "1.99.0", true)]
    [InlineData("<*", "1.0.0", false)]
    [InlineData(">=*", "1.0.0", true)]
    [InlineData("1.0.0-alpha.10", "1.0.0-alpha.10", true)]
    [InlineData(">1.0.0-alpha.2", "1.0.0-alpha.10", true)]
    [InlineData(">1.0.0-alpha", "1.0.0-alpha.1", true)]
    [InlineData(">1.0.0-alpha.beta", "1.0.0-beta", true)]
    [InlineData(">1.0.0-beta.11", "1.0.0-rc.1", true)]
    public void Contains_MatchesNodeSemver(string range, string version, bool expected)
    {
        var parsed = NpmRange.Parse(range, out var problem);
        Assert.True(parsed is not null, problem);
        Assert.True(SemVersion.TryParse(version, out var v), version);
        Assert.Equal(expected, parsed!.Contains(v));
    }

    [Theory]
    [InlineData("1.0.0-alpha", "1.0.0-alpha.1")]
    [InlineData("1.0.0-alpha.1", "1.0.0-alpha.beta")]
    [InlineData("1.0.0-alpha.beta", "1.0.0-beta")]
    [InlineData("1.0.0-beta.2", "1.0.0-beta.11")]
    [InlineData("1.0.0-rc.1", "1.0.0")]
    [InlineData("1.9.0", "1.10.0")]
    public void Compare_OrdersAsSemVer(string lower, string higher)
    {
        Assert.True(SemVersion.TryParse(lower, out var a));
        Assert.True(SemVersion.TryParse(higher, out var b));
        Assert.True(a.CompareTo(b) < 0, $"{lower} < {higher}");
        Assert.True(b.CompareTo(a) > 0);
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("01.2.3")]
    [InlineData("1.2.3-01")]
    [InlineData("1.2.3-")]
    [InlineData("latest")]
    public void TryParse_NotAnExactVersion_Fails(string text) => Assert.False(SemVersion.TryParse(text, out _));

    [Theory]
    [InlineData("^latest")]
    [InlineData(">=1.2.3 <two")]
    [InlineData("1.2.3 - ")]
    [InlineData("~1.x.3-beta")]
    public void Parse_BadRange_SaysWhy(string text)
    {
        Assert.Null(NpmRange.Parse(text, out var problem));
        Assert.False(string.IsNullOrEmpty(problem));
    }
}
