using Cordon.Runner.Egress;

namespace Cordon.Runner.UnitTests.Egress;

/// <summary>Host normalisation: every spelling of an IP literal is that address, names are canonical, the rest refused.</summary>
public sealed class HostNamesTests
{
    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("2130706433", "127.0.0.1")]
    [InlineData("0177.0.0.1", "127.0.0.1")]
    [InlineData("017700000001", "127.0.0.1")]
    [InlineData("0x7f.0.0.1", "127.0.0.1")]
    [InlineData("0x7f000001", "127.0.0.1")]
    [InlineData("0X7F.1", "127.0.0.1")]
    [InlineData("127.1", "127.0.0.1")]
    [InlineData("10.1.1", "10.1.0.1")]
    [InlineData("0x0A.0x0.0.01", "10.0.0.1")]
    [InlineData("169.254.43518", "169.254.169.254")]
    [InlineData("127.0.0.1.", "127.0.0.1")]
    [InlineData("0", "0.0.0.0")]
    [InlineData("0x", "0.0.0.0")]
    [InlineData("4294967295", "255.255.255.255")]
    [InlineData("[::1]", "[::1]")]
    [InlineData("::1", "[::1]")]
    [InlineData("[2001:DB8::1]", "[2001:db8::1]")]
    [InlineData("[::ffff:127.0.0.1]", "127.0.0.1")]
    [InlineData("::ffff:7f00:1", "127.0.0.1")]
    [InlineData("[::ffff:169.254.169.254]", "169.254.169.254")]
    public void Normalize_IpLiteral_IsTheAddress(string text, string expected)
    {
        var host = HostNames.Normalize(text);

        Assert.True(host.IsValid, host.Problem);
        Assert.NotNull(host.Address);
        Assert.Null(host.Name);
        Assert.Equal(expected, host.ToString());
    }

    [Theory]
    [InlineData("example.com", "example.com")]
    [InlineData("Example.COM", "example.com")]
    [InlineData("example.com.", "example.com")]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    [InlineData("BÜCHER.example", "xn--bcher-kva.example")]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example")]
    [InlineData("a-b.c_d.example", "a-b.c_d.example")]
    [InlineData("1.2.3.example", "1.2.3.example")]
    [InlineData("example.0x7g", "example.0x7g")]
    [InlineData("localhost", "localhost")]
    public void Normalize_Name_IsCanonical(string text, string expected)
    {
        var host = HostNames.Normalize(text);

        Assert.True(host.IsValid, host.Problem);
        Assert.Null(host.Address);
        Assert.Equal(expected, host.Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("4294967296")]
    [InlineData("0x100000000")]
    [InlineData("256.0.0.1")]
    [InlineData("1.256.3.4")]
    [InlineData("1.2.3.4.5")]
    [InlineData("1.2.65536")]
    [InlineData("08.0.0.1")]
    [InlineData("0x7g.1")]
    [InlineData("foo.0x")]
    [InlineData("foo.123")]
    [InlineData("example..com")]
    [InlineData("example.com..")]
    [InlineData("-bad.example")]
    [InlineData("bad-.example")]
    [InlineData("exa mple.com")]
    [InlineData("ex%41mple.com")]
    [InlineData("ex/ample.com")]
    [InlineData("[::1")]
    [InlineData("[]")]
    [InlineData("[1.2.3.4]")]
    [InlineData("[fe80::1%25eth0]")]
    [InlineData("fe80::1%eth0")]
    [InlineData("host:80")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example")]
    public void Normalize_NotAHost_IsRefused(string text)
    {
        var host = HostNames.Normalize(text);

        Assert.False(host.IsValid);
        Assert.NotEmpty(host.Problem);
        Assert.Null(host.Address);
        Assert.Null(host.Name);
    }

    [Fact]
    public void Normalize_NameOver253Characters_IsRefused()
    {
        var text = string.Join('.', Enumerable.Repeat(new string('a', 60), 5));

        Assert.False(HostNames.Normalize(text).IsValid);
        Assert.True(HostNames.Normalize(text[..253]).IsValid);
    }

    /// <summary>IDNA runs before the address check, so dots and digits from elsewhere in Unicode cannot smuggle an address in.</summary>
    [Theory]
    [InlineData("127\u30020\u30020\u30021", "127.0.0.1")]
    [InlineData("0x7f\uFF0E1", "127.0.0.1")]
    [InlineData("\uFF11\uFF12\uFF17.0.0.1", null)]
    [InlineData("127.0.0.\u0661", "127.0.0.xn--9hb")]
    public void Normalize_UnicodeSpellingNearAnAddress_IsTheAddressOrNoNumber(string text, string? expected)
    {
        var host = HostNames.Normalize(text);

        Assert.Equal(expected, host.IsValid ? host.ToString() : null);
    }
}
