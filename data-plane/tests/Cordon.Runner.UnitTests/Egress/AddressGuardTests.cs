using System.Net;
using Cordon.Runner.Egress;

namespace Cordon.Runner.UnitTests.Egress;

/// <summary>Each refused class in IPv4 and IPv6, the IPv6 forms that carry IPv4, admitted ranges and the runner's own addresses.</summary>
public sealed class AddressGuardTests
{
    private static readonly IPAddress[] Own = [IPAddress.Parse("203.0.113.5"), IPAddress.Parse("10.20.0.9"), IPAddress.Parse("fe80::9%2")];

    [Theory]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("0.1.2.3", "reserved")]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.255.254", "loopback")]
    [InlineData("10.0.0.1", "private (RFC 1918)")]
    [InlineData("172.16.0.1", "private (RFC 1918)")]
    [InlineData("172.31.255.255", "private (RFC 1918)")]
    [InlineData("192.168.1.1", "private (RFC 1918)")]
    [InlineData("100.64.0.1", "shared address space (CGNAT 100.64.0.0/10)")]
    [InlineData("100.127.255.255", "shared address space (CGNAT 100.64.0.0/10)")]
    [InlineData("169.254.169.254", "link-local (cloud metadata among them)")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("239.255.255.255", "multicast")]
    [InlineData("240.0.0.1", "reserved")]
    [InlineData("255.255.255.255", "broadcast")]
    [InlineData("::", "unspecified")]
    [InlineData("::1", "loopback")]
    [InlineData("fe80::1", "link-local (cloud metadata among them)")]
    [InlineData("febf::1", "link-local (cloud metadata among them)")]
    [InlineData("fec0::1", "reserved")]
    [InlineData("fc00::1", "unique local (fc00::/7)")]
    [InlineData("fd12:3456::1", "unique local (fc00::/7)")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("64:ff9b:1::1", "reserved")]
    [InlineData("::2", "reserved")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("::ffff:169.254.169.254", "link-local (cloud metadata among them)")]
    [InlineData("::ffff:10.0.0.1", "private (RFC 1918)")]
    [InlineData("::10.0.0.1", "private (RFC 1918)")]
    [InlineData("::ffff:0:192.168.0.1", "private (RFC 1918)")]
    [InlineData("64:ff9b::a9fe:a9fe", "link-local (cloud metadata among them)")]
    [InlineData("64:ff9b::7f00:1", "loopback")]
    [InlineData("2002:a00:1::1", "private (RFC 1918)")]
    [InlineData("2002:a9fe:a9fe::", "link-local (cloud metadata among them)")]
    public void Refusal_NonPublic_NamesTheClass(string address, string expected)
    {
        var guard = new AddressGuard(new EgressOptions(), () => []);

        Assert.Equal(expected, Class(guard.Refusal(IPAddress.Parse(address))));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("172.32.0.1")]
    [InlineData("172.15.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("100.63.255.255")]
    [InlineData("192.0.2.1")]
    [InlineData("198.51.100.7")]
    [InlineData("203.0.113.9")]
    [InlineData("223.255.255.255")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("2001:db8::1")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:808:808::1")]
    public void Refusal_Public_IsNull(string address)
    {
        var guard = new AddressGuard(new EgressOptions(), () => []);

        Assert.Null(guard.Refusal(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("10.20.5.5", null)]
    [InlineData("10.20.255.255", null)]
    [InlineData("::ffff:10.20.0.1", null)]
    [InlineData("fd00::5", null)]
    [InlineData("fdff:ffff::1", null)]
    [InlineData("10.21.0.1", "private (RFC 1918)")]
    [InlineData("fc00::1", "unique local (fc00::/7)")]
    [InlineData("127.0.0.1", "loopback")]
    public void Refusal_AllowedPrivateRanges_AdmitsOnlyThose(string address, string? expected)
    {
        var guard = new AddressGuard(new EgressOptions { AllowedPrivateRanges = ["10.20.0.0/16", "fd00::/8"] }, () => []);

        Assert.Equal(expected, Class(guard.Refusal(IPAddress.Parse(address))));
    }

    [Theory]
    [InlineData("203.0.113.5")]
    [InlineData("::ffff:203.0.113.5")]
    [InlineData("10.20.0.9")]
    [InlineData("fe80::9")]
    public void Refusal_RunnersOwnAddress_IsRefusedEvenWhenAdmitted(string address)
    {
        var guard = new AddressGuard(new EgressOptions { AllowedPrivateRanges = ["10.20.0.0/16"] }, () => Own);

        Assert.Equal("the runner's own address", guard.Refusal(IPAddress.Parse(address)));
    }

    [Fact]
    public void Refusal_OwnAddressesProvider_IsAskedEachTime()
    {
        IReadOnlyCollection<IPAddress> own = [];
        var guard = new AddressGuard(new EgressOptions(), () => own);
        var address = IPAddress.Parse("198.51.100.7");
        Assert.Null(guard.Refusal(address));

        own = [address];

        Assert.Equal("the runner's own address", guard.Refusal(address));
    }

    /// <summary>The class without any parenthesised detail for the loosely named ones ("reserved (…)").</summary>
    private static string? Class(string? refusal) =>
        refusal is not null && refusal.StartsWith("reserved", StringComparison.Ordinal) ? "reserved" : refusal;
}
