using System.Net;
using System.Net.Sockets;

namespace Cordon.Runner.Egress;

/// <summary>
/// Decides which addresses a sandbox may connect to: public ones, and those in the operator's
/// <see cref="EgressOptions.AllowedPrivateRanges"/>. Loopback, private, shared, link-local (cloud metadata),
/// multicast and reserved space is refused, and so is every address of the runner's own interfaces, whatever is
/// admitted. IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4) are judged by that address,
/// so <c>::ffff:169.254.169.254</c> is link-local too.
/// </summary>
internal sealed class AddressGuard(EgressOptions options, Func<IReadOnlyCollection<IPAddress>> ownAddresses)
{
    private readonly CidrRange[] _admitted = [.. options.AllowedPrivateRanges.Select(Parse)];

    /// <summary>Null when the sandbox may connect to <paramref name="address"/>; otherwise the class that refuses it.</summary>
    public string? Refusal(IPAddress address)
    {
        var embedded = EmbeddedIpv4(address);
        var effective = embedded ?? address;
        // The runner's own addresses (its gRPC port among what listens there) stay out of reach even inside an
        // admitted range: an operator admitting the runner's subnet means its neighbours, not the runner.
        if (ownAddresses().Any(own => Same(own, address) || Same(own, effective)))
        {
            return "the runner's own address";
        }

        if (_admitted.Any(range => range.Contains(address) || range.Contains(effective)))
        {
            return null;
        }

        return effective.AddressFamily == AddressFamily.InterNetwork ? Ipv4Class(effective) : Ipv6Class(effective);
    }

    private static CidrRange Parse(string text) =>
        CidrRange.TryParse(text, out var range, out var problem)
            ? range
            : throw new ArgumentException($"{EgressOptions.SectionName}:AllowedPrivateRanges entry '{text}' {problem}", nameof(options));

    private static bool Same(IPAddress a, IPAddress b)
    {
        var left = a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;
        var right = b.IsIPv4MappedToIPv6 ? b.MapToIPv4() : b;
        // Scope ids (fe80::1%2) do not make a different host.
        return left.AddressFamily == right.AddressFamily && left.GetAddressBytes().AsSpan().SequenceEqual(right.GetAddressBytes());
    }

    private static IPAddress? EmbeddedIpv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        var b = address.GetAddressBytes();
        var firstTwelveZero = b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0;
        var mapped = address.IsIPv4MappedToIPv6;
        // ::a.b.c.d (IPv4-compatible, deprecated), but not :: and ::1, which are IPv6's own unspecified and loopback.
        var compatible = firstTwelveZero && b.AsSpan(12, 3).IndexOfAnyExcept((byte)0) >= 0;
        // ::ffff:0:a.b.c.d (SIIT translated) and 64:ff9b::/96 (NAT64 well-known prefix).
        var translated = b.AsSpan(0, 8).IndexOfAnyExcept((byte)0) < 0 && b[8] == 0xFF && b[9] == 0xFF && b[10] == 0 && b[11] == 0;
        var nat64 = b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0;
        if (mapped || compatible || translated || nat64)
        {
            return new IPAddress(b.AsSpan(12, 4));
        }

        // 2002:a.b.c.d::/48 (6to4): a relay delivers it to the embedded IPv4 address.
        return b[0] == 0x20 && b[1] == 0x02 ? new IPAddress(b.AsSpan(2, 4)) : null;
    }

    private static string? Ipv4Class(IPAddress address)
    {
        var b = address.GetAddressBytes();
        return b switch
        {
            [0, 0, 0, 0] => "unspecified",
            [0, ..] => "reserved (this network, 0.0.0.0/8)",
            [127, ..] => "loopback",
            [10, ..] => "private (RFC 1918)",
            [172, >= 16 and <= 31, ..] => "private (RFC 1918)",
            [192, 168, ..] => "private (RFC 1918)",
            [100, >= 64 and <= 127, ..] => "shared address space (CGNAT 100.64.0.0/10)",
            [169, 254, ..] => "link-local (cloud metadata among them)",
            [>= 224 and <= 239, ..] => "multicast",
            [255, 255, 255, 255] => "broadcast",
            [>= 240, ..] => "reserved (240.0.0.0/4)",
            _ => null,
        };
    }

    private static string? Ipv6Class(IPAddress address)
    {
        var b = address.GetAddressBytes();
        if (address.Equals(IPAddress.IPv6None))
        {
            return "unspecified";
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return "loopback";
        }

        return b switch
        {
            [0xFE, >= 0x80 and <= 0xBF, ..] => "link-local (cloud metadata among them)",
            [0xFE, >= 0xC0, ..] => "reserved (site-local fec0::/10)",
            [>= 0xFC and <= 0xFD, ..] => "unique local (fc00::/7)",
            [0xFF, ..] => "multicast",
            // 64:ff9b:1::/48, local-use NAT64 (RFC 8215): its prefix length, and so the embedded address, is the site's.
            [0x00, 0x64, 0xFF, 0x9B, 0x00, 0x01, ..] => "reserved (local-use NAT64 64:ff9b:1::/48)",
            // The rest of ::/8 (reserved by the IETF) holds nothing a sandbox has any business reaching.
            [0x00, ..] => "reserved (::/8)",
            _ => null,
        };
    }
}
