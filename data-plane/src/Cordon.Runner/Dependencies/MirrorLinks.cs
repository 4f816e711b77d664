using System.Security.Cryptography;
using System.Text;

namespace Cordon.Runner.Dependencies;

/// <summary>
/// The download links the mirror hands out: the upstream URL and a MAC under a key of this installation only. A
/// download is served only for a link the mirror itself wrote into a filtered index page or package document — so
/// only files of allowlisted packages and versions — never for a URL the sandbox makes up.
/// </summary>
internal sealed class MirrorLinks
{
    private const int MacBytes = 16;
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public string Sign(Uri url)
    {
        var text = Encoding.UTF8.GetBytes(url.AbsoluteUri);
        return Base64Url(text) + "." + Base64Url(Mac(text));
    }

    public bool TryOpen(string token, out Uri url)
    {
        url = null!;
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !TryDecode(token[..dot], out var text) || !TryDecode(token[(dot + 1)..], out var mac))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(mac, Mac(text))
            && Uri.TryCreate(Encoding.UTF8.GetString(text), UriKind.Absolute, out url!);
    }

    private byte[] Mac(byte[] text) => HMACSHA256.HashData(_key, text)[..MacBytes];

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryDecode(string text, out byte[] bytes)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        bytes = new byte[padded.Length];
        return Convert.TryFromBase64String(padded, bytes, out var written) && (bytes = bytes[..written]).Length > 0;
    }
}
