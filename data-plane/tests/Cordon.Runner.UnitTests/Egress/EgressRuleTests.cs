using Cordon.Runner.Egress;

namespace Cordon.Runner.UnitTests.Egress;

/// <summary>Allowlist entries: what parses (canonically), what does not and why, and what each kind matches.</summary>
public sealed class EgressRuleTests
{
    [Theory]
    [InlineData("example.com:443", "example.com:443")]
    [InlineData("Example.COM.:443", "example.com:443")]
    [InlineData("*.Example.com:443", "*.example.com:443")]
    [InlineData("bücher.example:443", "xn--bcher-kva.example:443")]
    [InlineData("[::1]:53", "[::1]:53")]
    [InlineData("[::ffff:127.0.0.1]:80", "127.0.0.1:80")]
    [InlineData("0x7f.1:80", "127.0.0.1:80")]
    [InlineData("host:1", "host:1")]
    [InlineData("host:65535", "host:65535")]
    public void TryParse_Valid_GivesCanonicalText(string text, string expected)
    {
        Assert.True(EgressRule.TryParse(text, out var rule, out var problem), problem);
        Assert.Equal(expected, rule.ToString());
    }

    [Theory]
    [InlineData("example.com", "no port")]
    [InlineData("example.com:", "no port")]
    [InlineData(":443", "no port")]
    [InlineData("example.com:0", "a port is 1 to 65535")]
    [InlineData("example.com:65536", "a port is 1 to 65535")]
    [InlineData("example.com:http", "a port is 1 to 65535")]
    [InlineData("example.com:+443", "a port is 1 to 65535")]
    [InlineData("::1:443", "without brackets")]
    [InlineData("*:443", "leading '*.'")]
    [InlineData("*.*.example:443", "leading '*.'")]
    [InlineData("foo.*.example:443", "leading '*.'")]
    [InlineData("*example.com:443", "leading '*.'")]
    [InlineData("*.10.0.0.1:443", "wildcard on an address")]
    [InlineData("bad..name:443", "empty or over-long label")]
    [InlineData("ex!ample.com:443", "character")]
    [InlineData("256.1.1.1:443", "not a valid IPv4 address")]
    [InlineData("[::1:443", "closing bracket")]
    public void TryParse_Invalid_SaysWhy(string text, string expected)
    {
        Assert.False(EgressRule.TryParse(text, out var rule, out var problem));
        Assert.Null(rule);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a.example.com", 443, true)]
    [InlineData("a.b.example.com", 443, true)]
    [InlineData("A.Example.COM.", 443, true)]
    [InlineData("example.com", 443, false)]
    [InlineData("badexample.com", 443, false)]
    [InlineData("a.example.com.evil", 443, false)]
    [InlineData("a.example.com", 80, false)]
    public void Matches_Wildcard_IsStrictlyBelowTheSuffix(string host, int port, bool expected)
    {
        EgressRule.TryParse("*.example.com:443", out var rule, out _);

        Assert.Equal(expected, rule!.Matches(HostNames.Normalize(host), port));
    }

    [Theory]
    [InlineData("example.com", 443, true)]
    [InlineData("EXAMPLE.com.", 443, true)]
    [InlineData("a.example.com", 443, false)]
    [InlineData("example.com", 8443, false)]
    public void Matches_Exact_IsTheNameAndPort(string host, int port, bool expected)
    {
        EgressRule.TryParse("example.com:443", out var rule, out _);

        Assert.Equal(expected, rule!.Matches(HostNames.Normalize(host), port));
    }

    [Theory]
    [InlineData("127.0.0.1:80", "2130706433", true)]
    [InlineData("127.0.0.1:80", "[::ffff:127.0.0.1]", true)]
    [InlineData("127.0.0.1:80", "127.0.0.2", false)]
    [InlineData("127.0.0.1:80", "localhost", false)]
    [InlineData("localhost:80", "127.0.0.1", false)]
    [InlineData("*.0.0.1.example:80", "127.0.0.1", false)]
    [InlineData("[2001:db8::1]:80", "[2001:DB8:0::1]", true)]
    public void Matches_NamesAndAddresses_NeverCross(string ruleText, string host, bool expected)
    {
        Assert.True(EgressRule.TryParse(ruleText, out var rule, out var problem), problem);

        Assert.Equal(expected, rule.Matches(HostNames.Normalize(host), 80));
    }

    [Fact]
    public void Matches_RefusedHost_IsFalse()
    {
        EgressRule.TryParse("*.example:80", out var rule, out _);

        Assert.False(rule!.Matches(HostNames.Normalize("foo.0x"), 80));
    }
}
