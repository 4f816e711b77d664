using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cordon.Runner.Egress;

/// <summary>
/// Normalises the host a sandbox asks for the way a browser's URL parser does (WHATWG URL host parsing): IDNA to
/// ASCII, lower case, one trailing dot dropped, and every text some client or resolver would read as an IPv4 address
/// (<c>2130706433</c>, <c>0177.0.0.1</c>, <c>0x7f.1</c>, <c>127.1</c>) recognised as that address. A name rule must
/// never let through what is really an address, so anything that ends in a number is an address or nothing.
/// </summary>
internal static class HostNames
{
    private const int MaxTextLength = 1024;
    private const int MaxNameLength = 253;
    private const int MaxLabelLength = 63;

    public static NormalizedHost Normalize(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return NormalizedHost.Refused("the host is empty");
        }

        if (text.Length > MaxTextLength)
        {
            return NormalizedHost.Refused("the host is too long");
        }

        if (text[0] == '[')
        {
            return text[^1] == ']' ? Ipv6(text[1..^1]) : NormalizedHost.Refused("an IPv6 address is missing its closing bracket");
        }

        // A host:port never reaches here (callers split the port off first), so a colon means an IPv6 literal.
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return Ipv6(text);
        }

        var host = text.ToLowerInvariant();
        if (!Ascii.IsValid(host))
        {
            try
            {
                host = new IdnMapping().GetAscii(host).ToLowerInvariant();
            }
            catch (ArgumentException)
            {
                return NormalizedHost.Refused("the host is not a valid internationalised name");
            }
        }

        if (host.EndsWith('.'))
        {
            host = host[..^1];
        }

        if (host.Length == 0)
        {
            return NormalizedHost.Refused("the host is empty");
        }

        return EndsInNumber(host) ? Ipv4(host) : Name(host);
    }

    private static NormalizedHost Name(string host)
    {
        if (host.Length > MaxNameLength)
        {
            return NormalizedHost.Refused("the name is longer than 253 characters");
        }

        foreach (var label in host.Split('.'))
        {
            if (label.Length is 0 or > MaxLabelLength)
            {
                return NormalizedHost.Refused("the name has an empty or over-long label");
            }

            if (label[0] == '-' || label[^1] == '-' || !label.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_'))
            {
                return NormalizedHost.Refused("the name has a character a host name cannot hold");
            }
        }

        return NormalizedHost.ForName(host);
    }

    /// <summary>WHATWG "ends in a number": the last label (a trailing empty one aside) is decimal digits or an IPv4 number.</summary>
    private static bool EndsInNumber(string host)
    {
        var parts = host.Split('.');
        var last = parts[^1];
        if (last.Length == 0)
        {
            if (parts.Length == 1)
            {
                return false;
            }

            last = parts[^2];
        }

        return (last.Length > 0 && last.All(char.IsAsciiDigit)) || TryParseNumber(last, out _);
    }

    /// <summary>The WHATWG IPv4 parser: up to four parts, each decimal, octal (leading 0) or hex (0x), the last filling the rest.</summary>
    private static NormalizedHost Ipv4(string host)
    {
        var parts = host.Split('.').ToList();
        if (parts[^1].Length == 0 && parts.Count > 1)
        {
            parts.RemoveAt(parts.Count - 1);
        }

        const string NotAnAddress = "the host ends in a number but is not a valid IPv4 address";
        if (parts.Count > 4)
        {
            return NormalizedHost.Refused(NotAnAddress);
        }

        var numbers = new ulong[parts.Count];
        for (var i = 0; i < parts.Count; i++)
        {
            if (!TryParseNumber(parts[i], out numbers[i]))
            {
                return NormalizedHost.Refused(NotAnAddress);
            }
        }

        if (numbers[..^1].Any(n => n > 255) || numbers[^1] >= 1UL << (8 * (5 - numbers.Length)))
        {
            return NormalizedHost.Refused(NotAnAddress);
        }

        var value = numbers[^1];
        for (var i = 0; i < numbers.Length - 1; i++)
        {
            value += numbers[i] << (8 * (3 - i));
        }

        return NormalizedHost.ForAddress(new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]));
    }

    /// <summary>One IPv4 part: <c>0x</c>/<c>0X</c> hex (empty is 0), a leading <c>0</c> octal, else decimal; saturates past 2^40.</summary>
    private static bool TryParseNumber(string text, out ulong value)
    {
        value = 0;
        if (text.Length == 0)
        {
            return false;
        }

        var radix = 10;
        if (text.Length >= 2 && text[0] == '0' && text[1] is 'x' or 'X')
        {
            text = text[2..];
            radix = 16;
        }
        else if (text.Length >= 2 && text[0] == '0')
        {
            text = text[1..];
            radix = 8;
        }

        foreach (var c in text)
        {
            var digit = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiHexDigit(c) ? (char.ToLowerInvariant(c) - 'a') + 10 : radix;
            if (digit >= radix)
            {
                return false;
            }

            // Anything this large is past every IPv4 part's limit; stop growing so a long run of digits cannot overflow.
            value = Math.Min((value * (ulong)radix) + (ulong)digit, 1UL << 40);
        }

        return true;
    }

    private static NormalizedHost Ipv6(string text)
    {
        // Zone ids (fe80::1%eth0) name the runner's own interfaces; nothing a sandbox may ask for.
        if (text.Length == 0 || !text.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.')
            || !IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return NormalizedHost.Refused("the host is not a valid IPv6 address");
        }

        return NormalizedHost.ForAddress(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
    }
}
