using Cordon.Logging;

namespace Cordon.ControlPlane.Tests.Logging;

public sealed class LogTextTests
{
    [Theory]
    [InlineData("plain text, C:\\path and \"quotes\"", "plain text, C:\\path and \"quotes\"")]
    [InlineData("user\n[fake] admin logged in", "user\\n[fake] admin logged in")]
    [InlineData("a\r\nb\tc", "a\\r\\nb\\tc")]
    [InlineData("\u001b[2Jclear", "\\u001b[2Jclear")]
    [InlineData("nel\u0085ls\u2028ps\u2029", "nel\\u0085ls\\u2028ps\\u2029")]
    [InlineData("bidi \u202eevil\u2066", "bidi \\u202eevil\\u2066")]
    [InlineData("emoji \ud83d\ude00 and é stay", "emoji \ud83d\ude00 and é stay")]
    [InlineData("nul\0del\u007f", "nul\\u0000del\\u007f")]
    public void Escape_ControlCharacters_AreEscapedPrintableTextKept(string text, string expected) =>
        Assert.Equal(expected, LogText.Escape(text));

    [Fact]
    public void Escape_LoneSurrogates_AreEscaped()
    {
        // Built in code: theory data would not carry a lone surrogate through to the test intact.
        var text = "lone " + '\ud800' + " high, lone " + '\udc00' + " low, pair " + "\ud83d\ude00";

        Assert.Equal("lone \\ud800 high, lone \\udc00 low, pair \ud83d\ude00", LogText.Escape(text));
    }

    [Fact]
    public void Escape_LongText_IsCappedWithTheCountLeftOut()
    {
        var escaped = LogText.Escape(new string('x', 5000))!;

        Assert.Equal(new string('x', LogText.DefaultMaxChars) + "…[3976 more chars]", escaped);
    }

    [Fact]
    public void Multiline_KeepsNewlinesAndTabs_EscapesOtherControls()
    {
        Assert.Equal("line 1\n\tline 2\\r \\u001b[31m", LogText.Multiline("line 1\n\tline 2\r \u001b[31m"));
    }

    [Fact]
    public void Escape_Null_IsNull() => Assert.Null(LogText.Escape(null));
}
