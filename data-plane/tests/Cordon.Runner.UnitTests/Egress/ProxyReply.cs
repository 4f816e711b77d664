namespace Cordon.Runner.UnitTests.Egress;

/// <summary>An HTTP response as the client read it: status, header fields, body.</summary>
internal sealed record ProxyReply(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public static ProxyReply Parse(string text)
    {
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end > 0, $"no response head in '{text}'");
        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0], p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        return new ProxyReply(status, headers, text[(end + 4)..]);
    }
}
