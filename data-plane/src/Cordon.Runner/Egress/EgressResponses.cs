using System.Globalization;
using System.Text;
using Cordon.Logging;

namespace Cordon.Runner.Egress;

/// <summary>The bytes the proxy answers with itself: the CONNECT acknowledgement and its refusals.</summary>
internal static class EgressResponses
{
    public static ReadOnlyMemory<byte> Established { get; } = "HTTP/1.1 200 Connection Established\r\n\r\n"u8.ToArray();

    /// <summary>
    /// <c>cordon egress: evil.test:443 denied: not in this sandbox's allowlist</c> as a text/plain response;
    /// <paramref name="target"/> is null when the request never named one.
    /// </summary>
    public static byte[] Refusal(EgressRefusal refusal, string? target)
    {
        var verb = refusal.IsError ? "failed" : "denied";
        var line = target is null
            ? $"cordon egress: {verb}: {refusal.Reason}\n"
            : $"cordon egress: {LogText.Escape(target, 300)} {verb}: {LogText.Escape(refusal.Reason, 600)}\n";
        var body = Encoding.UTF8.GetBytes(line);
        var head = string.Create(CultureInfo.InvariantCulture, $"""
            HTTP/1.1 {refusal.Status} {ReasonPhrases.Of(refusal.Status)}
            Content-Type: text/plain; charset=utf-8
            Content-Length: {body.Length}
            X-Cordon-Egress: {(refusal.IsError ? "error" : "denied")}
            Connection: close


            """).ReplaceLineEndings("\r\n");
        return [.. Encoding.ASCII.GetBytes(head), .. body];
    }
}
