using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace Cordon.Runner.Egress;

/// <summary>
/// One allowlist entry: <c>host:port</c> (a name or an IP literal, matched exactly) or <c>*.suffix:port</c> (any
/// name strictly below the suffix, not the suffix itself). The port is always required: a rule opens one port.
/// </summary>
internal sealed class EgressRule
{
    private readonly string? _name;
    private readonly string? _suffix;
    private readonly IPAddress? _address;

    private EgressRule(string? name, string? suffix, IPAddress? address, int port)
    {
        _name = name;
        _suffix = suffix;
        _address = address;
        Port = port;
    }

    public int Port { get; }

    public static bool TryParse(string text, [NotNullWhen(true)] out EgressRule? rule, [NotNullWhen(false)] out string? problem)
    {
        rule = null;
        var colon = text?.LastIndexOf(':') ?? -1;
        if (text is null || colon <= 0 || colon == text.Length - 1)
        {
            problem = $"'{text}' has no port: write host:port or *.suffix:port";
            return false;
        }

        var hostText = text[..colon];
        var portText = text[(colon + 1)..];
        if (portText.Length > 5 || !portText.All(char.IsAsciiDigit) || int.Parse(portText, CultureInfo.InvariantCulture) is < 1 or > 65535)
        {
            problem = $"'{text}' has port '{portText}': a port is 1 to 65535";
            return false;
        }

        var port = int.Parse(portText, CultureInfo.InvariantCulture);
        if (hostText.Contains(':', StringComparison.Ordinal) && hostText[0] != '[')
        {
            problem = $"'{text}' has an IPv6 address without brackets: write [2001:db8::1]:443";
            return false;
        }

        var wildcard = hostText.StartsWith("*.", StringComparison.Ordinal);
        if (hostText.Contains('*', StringComparison.Ordinal) && (!wildcard || hostText.IndexOf('*', 1) >= 0))
        {
            problem = $"'{text}' has a '*' that is not a leading '*.' label";
            return false;
        }

        var host = HostNames.Normalize(wildcard ? hostText[2..] : hostText);
        if (!host.IsValid)
        {
            problem = $"'{text}': {host.Problem}";
            return false;
        }

        if (wildcard && host.Address is not null)
        {
            problem = $"'{text}' puts a wildcard on an address: list the address itself";
            return false;
        }

        rule = host.Address is { } address
            ? new EgressRule(null, null, address, port)
            : wildcard ? new EgressRule(null, host.Name, null, port) : new EgressRule(host.Name, null, null, port);
        problem = null;
        return true;
    }

    /// <summary>Names match name rules only and addresses address rules only: an address never passes as a name.</summary>
    public bool Matches(NormalizedHost host, int port)
    {
        if (port != Port || !host.IsValid)
        {
            return false;
        }

        if (host.Address is { } address)
        {
            return _address is not null && _address.Equals(address);
        }

        if (host.Name is not { } name)
        {
            return false;
        }

        return _suffix is { } suffix
            ? name.Length > suffix.Length + 1 && name.EndsWith(suffix, StringComparison.Ordinal) && name[^(suffix.Length + 1)] == '.'
            : string.Equals(_name, name, StringComparison.Ordinal);
    }

    /// <summary>The canonical text (<c>example.com:443</c>, <c>*.example.com:443</c>, <c>[::1]:53</c>); records name the rule by it.</summary>
    public override string ToString()
    {
        var host = _address is not null ? NormalizedHost.ForAddress(_address).ToString() : _suffix is not null ? "*." + _suffix : _name;
        return $"{host}:{Port.ToString(CultureInfo.InvariantCulture)}";
    }
}
