using System.Buffers;
using System.Text;
using Cordon.ControlPlane.Secrets.Redaction;

namespace Cordon.ControlPlane.Tests.Secrets.Redaction;

/// <summary>Targeted cases of <see cref="SecretRedactor"/> and <see cref="StreamingRedactor"/>.</summary>
[Trait("Tier", "Fast")]
public sealed class SecretRedactorTests
{
    private const string Value = "sk-live-4f9Q z/+é";
    private static readonly SecretRedactor Redactor = SecretRedactor.For(new Dictionary<string, string> { ["API_TOKEN"] = Value });

    [Theory]
    [InlineData("token=sk-live-4f9Q z/+é;", "token=[REDACTED:API_TOKEN];")]
    [InlineData("736b2d6c6976652d34663951207a2f2bc3a9", "[REDACTED:API_TOKEN]")]
    [InlineData("736B2D6C6976652D34663951207A2F2BC3A9", "[REDACTED:API_TOKEN]")]
    [InlineData("c2stbGl2ZS00ZjlRIHovK8Op", "[REDACTED:API_TOKEN]")]                 // base64, aligned
    [InlineData("a=sk-live-4f9Q%20z%2F%2B%C3%A9&b", "a=[REDACTED:API_TOKEN]&b")]       // Uri.EscapeDataString
    [InlineData("a=sk-live-4f9Q+z%2f%2b%c3%a9&b", "a=[REDACTED:API_TOKEN]&b")]         // form encoding, lower-case hex
    [InlineData("%73%6B%2d%6c%69%76%65%2D%34%66%39%51%20%7a%2F%2B%C3%A9", "[REDACTED:API_TOKEN]")]
    public void Redact_KnownForms_Replaced(string input, string expected)
    {
        Assert.Equal(expected, Redactor.Redact(input));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Redact_Base64InsideLongerBase64_AtEachAlignment(int alignment)
    {
        var data = Encoding.UTF8.GetBytes(new string('x', alignment) + Value + "tail bytes");
        var standard = Convert.ToBase64String(data);
        var urlSafe = standard.Replace('+', '-').Replace('/', '_').TrimEnd('=');

        foreach (var text in new[] { standard, urlSafe })
        {
            var redacted = Redactor.Redact(text);
            Assert.Contains("[REDACTED:API_TOKEN]", redacted, StringComparison.Ordinal);
            // What is left is at most the characters that also carry bits of the bytes around the value.
            Assert.True(redacted.Length <= text.Length - 20 + "[REDACTED:API_TOKEN]".Length + 2, redacted);
        }
    }

    [Fact]
    public void Stream_ValueSplitAtEveryByte_RedactedAndHeldNoLongerThanTheLongestForm()
    {
        var input = Encoding.UTF8.GetBytes("before " + Value + " after\n");
        for (var split = 0; split <= input.Length; split++)
        {
            var output = new ArrayBufferWriter<byte>();
            var stream = Redactor.CreateStream();
            stream.Write(input.AsSpan(0, split), output);
            Assert.True(stream.HeldBytes < Redactor.MaxFormLength, $"held {stream.HeldBytes}");
            stream.Write(input.AsSpan(split), output);
            stream.Complete(output);
            Assert.Equal("before [REDACTED:API_TOKEN] after\n", Encoding.UTF8.GetString(output.WrittenSpan));
        }
    }

    [Fact]
    public void Stream_OneByteAtATime_LiveOutputNeverShowsTheValueAndTextFlowsAtOnce()
    {
        var output = new ArrayBufferWriter<byte>();
        var stream = Redactor.CreateStream();
        foreach (var b in Encoding.UTF8.GetBytes("progress 1\n" + Value + "\nprogress 2\n"))
        {
            stream.Write([b], output);
            // The live output at each pause: never a piece of the value as long as a few bytes of it.
            Assert.DoesNotContain("sk-live", Encoding.UTF8.GetString(output.WrittenSpan), StringComparison.Ordinal);
        }

        // Text that cannot begin a form is not held: the last line is out before the stream ends.
        Assert.EndsWith("[REDACTED:API_TOKEN]\nprogress 2\n", Encoding.UTF8.GetString(output.WrittenSpan), StringComparison.Ordinal);
        Assert.Equal(0, stream.HeldBytes);
    }

    [Fact]
    public void Stream_MultiByteCharactersSplitAcrossChunks_PassThroughIntact()
    {
        var input = Encoding.UTF8.GetBytes("日本語 ünïcødé 🙂 text");
        var output = new ArrayBufferWriter<byte>();
        var stream = Redactor.CreateStream();
        foreach (var b in input)
        {
            stream.Write([b], output);
        }

        stream.Complete(output);
        Assert.Equal(input, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Stream_CutInTheMiddleOfTheValue_TrailingPieceRedacted()
    {
        var output = new ArrayBufferWriter<byte>();
        var stream = Redactor.CreateStream();
        stream.Write(Encoding.UTF8.GetBytes("x " + Value[..10]), output);
        stream.Complete(output);

        Assert.Equal("x [REDACTED:API_TOKEN]", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Redact_OverlappingAndRepeatedOccurrences_OneMarkerPerRun()
    {
        var redactor = SecretRedactor.For(new Dictionary<string, string> { ["P"] = "abab", ["Q"] = "babXYZ" });

        Assert.Equal("[REDACTED:P]!", redactor.Redact("ababababab!"));
        Assert.Equal("[REDACTED:P]", redactor.Redact("abababXYZ"));
        Assert.Equal("-[REDACTED:Q]-", redactor.Redact("-babXYZ-"));
    }

    [Fact]
    public void Redact_ValueInsideAnother_BothRedacted()
    {
        var redactor = SecretRedactor.For(new Dictionary<string, string> { ["LONG"] = "outer-inner-outer", ["SHORT"] = "inner" });

        Assert.Equal("[REDACTED:LONG] [REDACTED:SHORT]", redactor.Redact("outer-inner-outer inner"));
    }

    [Theory]
    [InlineData("REDACTED")]
    [InlineData("[REDACTED]")]
    [InlineData("D:X]")]
    [InlineData("*")]
    [InlineData("TOKEN")]
    public void Redact_ValueThatTheMarkerWouldSpell_PlainerMarker(string value)
    {
        var redactor = SecretRedactor.For(new Dictionary<string, string> { ["X"] = value, ["API_TOKEN"] = "unrelated-value" });

        var redacted = redactor.Redact("a " + value + " b");

        Assert.DoesNotContain(value, redacted, StringComparison.Ordinal);
        Assert.StartsWith("a ", redacted, StringComparison.Ordinal);
        Assert.EndsWith(" b", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void None_PassesEverythingThrough()
    {
        var text = "anything " + Value;
        var bytes = Encoding.UTF8.GetBytes(text);

        Assert.True(SecretRedactor.None.IsEmpty);
        Assert.Same(text, SecretRedactor.None.Redact(text));
        Assert.Same(bytes, SecretRedactor.None.Redact(bytes));
        Assert.Equal(bytes, RedactionCase.Stream(SecretRedactor.None, bytes, new Random(1), 3));
        Assert.Same(SecretRedactor.None, SecretRedactor.For(new Dictionary<string, string> { ["EMPTY"] = "" }));
    }

    [Fact]
    public void ToString_NamesTheSecretsOnly()
    {
        Assert.Equal("SecretRedactor(API_TOKEN)", Redactor.ToString());
    }

    [Fact]
    public void Redact_ShortValue_RawAndUrlEncodedOnly()
    {
        // Two bytes: their hex ("6869") and base64 ("aGk") are too short to be told from other text.
        var redactor = SecretRedactor.For(new Dictionary<string, string> { ["PIN"] = "hi" });

        Assert.Equal("[REDACTED:PIN] [REDACTED:PIN] 6869 aGk", redactor.Redact("hi %68%69 6869 aGk"));
    }

    [Fact]
    public void Redact_TenMebibytesWithSecretsSprinkled_AllFound()
    {
        var random = new Random(7);
        var secrets = Enumerable.Range(0, 20).ToDictionary(i => "S" + i, _ => RedactionCase.Value(random, 16, 64));
        var redactor = SecretRedactor.For(secrets);
        var text = new StringBuilder(11 * 1024 * 1024);
        var planted = 0;
        while (text.Length < 10 * 1024 * 1024)
        {
            text.Append(RedactionCase.Filler(random, 4096));
            text.Append(secrets["S" + random.Next(20)]);
            planted++;
        }

        var redacted = redactor.Redact(text.ToString());

        Assert.Equal(planted, CountOf(redacted, "[REDACTED:S"));
        Assert.DoesNotContain(secrets.Values, redacted.Contains);
    }

    private static int CountOf(string text, string piece)
    {
        var count = 0;
        for (var at = text.IndexOf(piece, StringComparison.Ordinal); at >= 0; at = text.IndexOf(piece, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
