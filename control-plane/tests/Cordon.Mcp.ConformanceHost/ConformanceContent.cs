namespace Cordon.Mcp.ConformanceHost;

/// <summary>The smallest valid media the content scenarios ask for.</summary>
internal static class ConformanceContent
{
    /// <summary>A 1×1 red pixel PNG.</summary>
    public static readonly byte[] RedPixelPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");

    /// <summary>A WAV header with one silent 16-bit mono sample at 8 kHz.</summary>
    public static readonly byte[] SilentWav = Convert.FromBase64String(
        "UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQIAAAAAAA==");
}
