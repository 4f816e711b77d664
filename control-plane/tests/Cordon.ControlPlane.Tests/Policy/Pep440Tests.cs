using Cordon.Packages;

namespace Cordon.ControlPlane.Tests.Policy;

/// <summary>
/// PEP 440 versions and specifier sets. Every expected value in the contains table was checked against pip's own
/// <c>packaging</c> (SpecifierSet.contains) when the table was written.
/// </summary>
public sealed class Pep440Tests
{
    [Theory]
    [InlineData(">=2.31,<3", "2.32.3", true)]
    [InlineData(">=2.31,<3", "3.0", false)]
    [InlineData(">=2.31,<3", "3.0.0a1", false)]
    [InlineData(">=2.31,<3", "2.31", true)]
    [InlineData(">=2.31,<3", "2.30.9", false)]
    [InlineData("~=1.4.2", "1.4.5", true)]
    [InlineData("~=1.4.2", "1.5.0", false)]
    [InlineData("~=1.4", "1.9", true)]
    [InlineData("~=1.4", "2.0", false)]
    [InlineData("==3.*", "3.11.2", true)]
    [InlineData("==3.*", "4.0", false)]
    [InlineData("==3.1.*", "3.1", true)]
    [InlineData("!=2.0.1", "2.0.1", false)]
    [InlineData("!=2.0.1", "2.0.2", true)]
    [InlineData("==1.0", "1.0.0", true)]
    [InlineData("==1.0", "1.0+local.7", true)]
    [InlineData("==1.0+local.7", "1.0+local.7", true)]
    [InlineData("==1.0+local.7", "1.0", false)]
    [InlineData("<3", "3.0rc1", false)]
    [InlineData("<3.0rc2", "3.0rc1", false)]
    [InlineData(">1.0", "1.0.post1", false)]
    [InlineData(">1.0.post1", "1.0.post2", true)]
    [InlineData(">1.0", "1.1", true)]
    [InlineData(">=1.0", "1.0+abc", true)]
    [InlineData(">1.0", "1.0+abc", false)]
    [InlineData(">=1.0.dev0", "1.0a1", true)]
    [InlineData(">=1.0", "2.0.dev1", false)]
    [InlineData("===1.0", "1.0", true)]
    [InlineData("===1.0", "1.0.0", false)]
    [InlineData("<=2.0", "2.0.post1", false)]
    [InlineData("", "1.0", true)]
    [InlineData("", "1.0a1", false)]
    [InlineData("==1.0.0", "v1.0", true)]
    [InlineData(">=1!1.0", "2.0", false)]
    [InlineData(">=1!1.0", "1!1.1", true)]
    [InlineData("==2.0rc1", "2.0c1", true)]
    [InlineData("==1.0.post0", "1.0-0", true)]
    [InlineData("==1.0.dev0", "1.0dev", true)]
    [InlineData("<=3.0rc2", "3.0rc1", true)]
    [InlineData(">=2.0b1,<3", "2.5rc1", true)]
    public void Contains_MatchesPackaging(string specifier, string version, bool expected)
    {
        var set = Pep440Specifier.Parse(specifier, out var problem);
        Assert.True(set is not null, problem);
        Assert.True(Pep440Version.TryParse(version, out var parsed), version);
        Assert.Equal(expected, set!.Contains(parsed));
    }

    [Theory]
    [InlineData("1.0.dev1", "1.0a1")]
    [InlineData("1.0a1", "1.0a2.dev1")]
    [InlineData("1.0a2.dev1", "1.0a2")]
    [InlineData("1.0b1", "1.0rc1")]
    [InlineData("1.0rc1", "1.0")]
    [InlineData("1.0", "1.0.post1.dev1")]
    [InlineData("1.0.post1.dev1", "1.0.post1")]
    [InlineData("1.0.post1", "1.1")]
    [InlineData("1.0", "1.0+local")]
    [InlineData("1.0+abc", "1.0+1")]
    [InlineData("1.9", "1.10")]
    [InlineData("2.0", "1!0.1")]
    public void Compare_OrdersAsThePep(string lower, string higher)
    {
        Assert.True(Pep440Version.TryParse(lower, out var a));
        Assert.True(Pep440Version.TryParse(higher, out var b));
        Assert.True(a.CompareTo(b) < 0, $"{lower} < {higher}");
        Assert.True(b.CompareTo(a) > 0);
    }

    [Theory]
    [InlineData("1.0", "1.0.0")]
    [InlineData("1.0alpha1", "1.0a1")]
    [InlineData("1.0-c1", "1.0rc1")]
    [InlineData("1.0-1", "1.0.post1")]
    [InlineData("1.0rev2", "1.0.post2")]
    [InlineData("V1.0", "1.0")]
    public void Compare_NormalisedSpellings_AreEqual(string a, string b)
    {
        Assert.True(Pep440Version.TryParse(a, out var x));
        Assert.True(Pep440Version.TryParse(b, out var y));
        Assert.Equal(0, x.CompareTo(y));
    }

    [Theory]
    [InlineData("")]
    [InlineData("latest")]
    [InlineData("1.0-")]
    [InlineData("1..0")]
    [InlineData("1.0+")]
    [InlineData("1.0 beta")]
    public void TryParse_NotAVersion_Fails(string text) => Assert.False(Pep440Version.TryParse(text, out _));

    [Theory]
    [InlineData("2.31", "needs an operator")]
    [InlineData(">=two", "is not a PEP 440 version")]
    [InlineData(">=2.*", "allowed only with == and !=")]
    [InlineData("~=1", "at least two release segments")]
    [InlineData("==1.0rc1.*", "can only follow a release")]
    [InlineData(">=1.0+local", "local version label")]
    [InlineData(">=1,", "needs an operator")]
    public void Parse_BadSpecifier_SaysWhy(string text, string expected)
    {
        Assert.Null(Pep440Specifier.Parse(text, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }
}
