using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Cordon.Cli.Tokens;

/// <summary>
/// Mints an HS256 JWT by hand (header.payload.signature), so the AOT-compiled CLI needs no token library.
/// Claims: <c>sub</c>, <c>tenant</c>, <c>scope</c> (space-separated), <c>iss</c> <c>cordon-dev</c>, <c>aud</c>
/// <c>cordon</c>, <c>iat</c>, <c>nbf</c>, <c>exp</c>; the key id goes in the header's <c>kid</c>.
/// </summary>
internal static class DevTokenMinter
{
    public const string Issuer = "cordon-dev";
    public const string Audience = "cordon";

    public static string Mint(DevSigningKey key, string subject, string tenant, IEnumerable<string> scopes, TimeSpan lifetime, DateTimeOffset now)
    {
        var header = Json(writer =>
        {
            writer.WriteString("alg", "HS256");
            writer.WriteString("typ", "JWT");
            writer.WriteString("kid", key.KeyId);
        });
        var issuedAt = now.ToUnixTimeSeconds();
        var payload = Json(writer =>
        {
            writer.WriteString("sub", subject);
            writer.WriteString("tenant", tenant);
            writer.WriteString("scope", string.Join(' ', scopes));
            writer.WriteString("iss", Issuer);
            writer.WriteString("aud", Audience);
            writer.WriteNumber("iat", issuedAt);
            writer.WriteNumber("nbf", issuedAt);
            writer.WriteNumber("exp", issuedAt + (long)lifetime.TotalSeconds);
        });

        var signingInput = Base64Url.Encode(header) + "." + Base64Url.Encode(payload);
        var signature = HMACSHA256.HashData(key.Key, Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.Encode(signature);
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
