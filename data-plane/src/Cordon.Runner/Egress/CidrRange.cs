using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Cordon.Runner.Egress;

/// <summary>An address range in CIDR notation (<c>10.20.0.0/16</c>, <c>fd00::/8</c>), written canonically.</summary>
internal sealed class CidrRange
{
    private readonly byte[] _network;

    private CidrRange(IPAddress network, int prefixLength)
    {
        Network = network;
        PrefixLength = prefixLength;
        _network = network.GetAddressBytes();
    }

    public IPAddress Network { get; }

    public int PrefixLength { get; }

    public static bool TryParse(string? text, [NotNullWhen(true)] out CidrRange? range, [NotNullWhen(false)] out string? problem)
    {
        range = null;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (text is null || slash <= 0)
        {
            problem = "has no /prefix length";
            return false;
        }

        var addressText = text[..slash];
        // IPAddress.TryParse also takes "10.1" and "012.0.0.1"; a range an operator wrote must mean what it reads as.
        var isV4 = !addressText.Contains(':', StringComparison.Ordinal);
        if (!IPAddress.TryParse(addressText, out var address)
            || addressText.Contains('%', StringComparison.Ordinal)
            || (isV4 && address.ToString() != addressText))
        {
            problem = "is not an address followed by /prefix";
            return false;
        }

        var maxPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefixText = text[(slash + 1)..];
        if (prefixText.Length is 0 or > 3 || !prefixText.All(char.IsAsciiDigit) || int.Parse(prefixText, System.Globalization.CultureInfo.InvariantCulture) > maxPrefix)
        {
            problem = $"has a prefix length that is not 0 to {maxPrefix}";
            return false;
        }

        var candidate = new CidrRange(address, int.Parse(prefixText, System.Globalization.CultureInfo.InvariantCulture));
        if (HasHostBits(candidate._network, candidate.PrefixLength))
        {
            problem = "has bits set past its prefix length";
            return false;
        }

        range = candidate;
        problem = null;
        return true;
    }

    public bool Contains(IPAddress address)
    {
        if (address.AddressFamily != Network.AddressFamily)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        var full = PrefixLength / 8;
        if (!bytes[..full].SequenceEqual(_network.AsSpan(0, full)))
        {
            return false;
        }

        var rest = PrefixLength % 8;
        if (rest == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - rest));
        return full < written && (bytes[full] & mask) == (_network[full] & mask);
    }

    public override string ToString() => $"{Network}/{PrefixLength}";

    private static bool HasHostBits(byte[] network, int prefixLength)
    {
        for (var bit = prefixLength; bit < network.Length * 8; bit++)
        {
            if ((network[bit / 8] & (0x80 >> (bit % 8))) != 0)
            {
                return true;
            }
        }

        return false;
    }
}
