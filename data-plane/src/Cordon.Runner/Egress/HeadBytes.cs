using System.Buffers;

namespace Cordon.Runner.Egress;

/// <summary>The bytes an HTTP/1.1 head may hold: visible ASCII, space, tab, CR, LF and obs-text (0x80 up).</summary>
internal static class HeadBytes
{
    public static readonly SearchValues<byte> Allowed = SearchValues.Create(
        [(byte)'\t', (byte)'\r', (byte)'\n', .. Enumerable.Range(0x20, 0x7F - 0x20).Select(b => (byte)b), .. Enumerable.Range(0x80, 0x80).Select(b => (byte)b)]);
}
