using System.Text;
using Cordon.ControlPlane.Secrets.Redaction;

namespace Cordon.ControlPlane.Tests.Secrets.Redaction;

/// <summary>
/// Random values × random chunk splits × every form: the value, its hex, its base64 inside longer base64 text at each
/// alignment (standard and URL-safe, padded or not), and URL-encoded in several styles, embedded in random text and
/// fed to a <see cref="StreamingRedactor"/> in random pieces (down to a byte at a time). Nothing of the value may
/// survive, the marker must be there, the result must not depend on the chunking, and text holding no value must come
/// out byte-identical. Each case prints its seed when it fails.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class RedactionPropertyTests
{
    private const int Iterations = 300;

    public static TheoryData<string> Forms => ["raw", "hex-lower", "hex-upper", "base64", "url"];

    [Theory]
    [MemberData(nameof(Forms))]
    public void Stream_ValueInEveryFormAndChunking_NothingSurvives(string form)
    {
        for (var seed = 0; seed < Iterations; seed++)
        {
            // Deterministic: a failing seed fails again (string hash codes are randomised per process, so not those).
            var random = new Random((form.Sum(c => c) * 1000) + seed);
            var value = RedactionCase.Value(random);
            var other = RedactionCase.Value(random);
            var redactor = SecretRedactor.For(new Dictionary<string, string> { ["API_TOKEN"] = value, ["OTHER"] = other });
            var (embedded, forbidden) = Embed(random, form, value, window: 4);
            var before = RedactionCase.Filler(random);
            var after = RedactionCase.Filler(random);
            if (RedactionCase.ContainsAny(Decode(form, before + "\u0001" + after), forbidden))
            {
                continue; // the text around spells a piece of the value by chance: not this case
            }

            var input = Encoding.UTF8.GetBytes(before + embedded + after);
            var whole = redactor.Redact(input);
            var streamed = RedactionCase.Stream(redactor, input, random, maxChunk: seed % 3 == 0 ? 1 : random.Next(1, 64));

            var context = $"seed {seed}, form {form}, value {value}, input {Encoding.UTF8.GetString(input)}, output {Encoding.UTF8.GetString(streamed)}";
            Assert.True(whole.AsSpan().SequenceEqual(streamed), "chunking changed the result: " + context);
            Assert.False(RedactionCase.ContainsAny(Decode(form, streamed), forbidden), "a piece of the value survived: " + context);
            Assert.True(Encoding.UTF8.GetString(streamed).Contains("[REDACTED:API_TOKEN]", StringComparison.Ordinal), "no marker: " + context);
        }
    }

    [Fact]
    public void Stream_TextWithoutAValue_ByteIdenticalWhateverTheChunks()
    {
        for (var seed = 0; seed < Iterations; seed++)
        {
            var random = new Random(seed);
            var redactor = SecretRedactor.For(new Dictionary<string, string> { ["A"] = RedactionCase.Value(random), ["B"] = RedactionCase.Value(random, 1, 5) });
            // Random bytes as well as text: invalid UTF-8 and split characters must pass untouched too.
            var input = seed % 2 == 0 ? Encoding.UTF8.GetBytes(RedactionCase.Filler(random, 4000)) : RandomBytesWithoutValue(random);

            var streamed = RedactionCase.Stream(redactor, input, random, maxChunk: seed % 3 == 0 ? 1 : random.Next(1, 300));

            Assert.True(input.AsSpan().SequenceEqual(streamed), $"seed {seed}: text without a value was changed");
            Assert.Same(input, redactor.Redact(input));
        }

        static byte[] RandomBytesWithoutValue(Random random)
        {
            var bytes = new byte[random.Next(0, 3000)];
            random.NextBytes(bytes);
            // ASCII as lower-case letters (no '%' or value character) and no lead byte of a value's multi-byte character.
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] = bytes[i] switch
                {
                    < 0x80 => (byte)('a' + (bytes[i] % 26)),
                    0xC3 or 0xE4 or 0xF0 => (byte)(bytes[i] + 1), // lead bytes of the values' é, 中, 🙂
                    _ => bytes[i],
                };
            }

            return bytes;
        }
    }

    [Fact]
    public void Stream_SeveralValuesAndOccurrences_AllRedacted()
    {
        for (var seed = 0; seed < Iterations; seed++)
        {
            var random = new Random(seed);
            var values = Enumerable.Range(0, random.Next(1, 6)).Select(i => ("S" + i, RedactionCase.Value(random))).ToList();
            var redactor = SecretRedactor.For(values.ToDictionary(v => v.Item1, v => v.Item2));
            var text = new StringBuilder();
            var forms = new[] { "raw", "hex-lower", "hex-upper", "base64", "url" };
            var forbidden = new List<(string Form, List<string> Pieces)>();
            for (var i = 0; i < random.Next(1, 12); i++)
            {
                var (_, value) = values[random.Next(values.Count)];
                var form = forms[random.Next(forms.Length)];
                var (embedded, pieces) = Embed(random, form, value, window: 6);
                forbidden.Add((form, pieces));
                text.Append(RedactionCase.Filler(random, 30)).Append(embedded);
            }

            var input = Encoding.UTF8.GetBytes(text.ToString());
            var streamed = RedactionCase.Stream(redactor, input, random, maxChunk: random.Next(1, 20));

            foreach (var (form, pieces) in forbidden)
            {
                Assert.False(RedactionCase.ContainsAny(Decode(form, streamed), pieces), $"seed {seed}, {form}: {Encoding.UTF8.GetString(streamed)}");
            }

            Assert.True(redactor.Redact(input).AsSpan().SequenceEqual(streamed), $"seed {seed}: chunking changed the result");
        }
    }

    /// <summary>The value in one form, and the pieces of that form that must not be in the output.</summary>
    private static (string Embedded, List<string> Forbidden) Embed(Random random, string form, string value, int window)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        switch (form)
        {
            case "raw":
                return (value, [.. RedactionCase.Windows(RedactionCase.Latin1(value), window)]);
            case "hex-lower":
                return (Convert.ToHexStringLower(bytes), [.. RedactionCase.Windows(Convert.ToHexStringLower(bytes), 6)]);
            case "hex-upper":
                return (Convert.ToHexString(bytes), [.. RedactionCase.Windows(Convert.ToHexString(bytes), 6)]);
            case "base64":
                var (text, inner) = RedactionCase.EmbeddedBase64(
                    random, bytes, before: random.Next(0, 12), after: random.Next(0, 2) == 0 ? 0 : random.Next(1, 12), urlSafe: random.Next(2) == 0, padded: random.Next(2) == 0);
                return (text, [.. RedactionCase.Windows(inner, window + 1)]);
            default:
                return (RedactionCase.UrlEncoded(random, value, random.Next(4)), [.. RedactionCase.Windows(RedactionCase.Latin1(value), window)]);
        }
    }

    /// <summary>The output as the oracle reads it: URL-decoded for the URL form, as bytes (Latin-1) for the others.</summary>
    private static string Decode(string form, byte[] output) =>
        form == "url" ? RedactionCase.UrlDecoded(output) : Encoding.Latin1.GetString(output);

    private static string Decode(string form, string text) => Decode(form, Encoding.UTF8.GetBytes(text));
}
