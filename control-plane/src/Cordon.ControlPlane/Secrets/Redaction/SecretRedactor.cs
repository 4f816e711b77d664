using System.Buffers;
using System.Text;

namespace Cordon.ControlPlane.Secrets.Redaction;

/// <summary>
/// Removes the secret values a job or session was given from everything the service returns or stores: each
/// occurrence of a value — raw, hex (lower or upper case), base64 (standard or URL-safe, padded or not, at each of the
/// three byte alignments, so a value inside a longer base64 string is found too) or URL-encoded (<c>%XX</c> in either
/// case, <c>+</c> or <c>%20</c> for a space, any mix with literal bytes) — becomes <c>[REDACTED:NAME]</c>.
/// Immutable and shared by every stream of the job: <see cref="CreateStream"/> gives each output stream its own
/// <see cref="StreamingRedactor"/>. Never prints a value (<see cref="ToString"/> names the secrets only).
/// </summary>
internal sealed class SecretRedactor
{
    // Tried in order: the first that no value's form can meet — inside it or across its edges — is used, so a marker
    // can never spell out (part of) a value. A value like "RED" falls back to a plainer one; the last is removal.
    private static readonly string[] MarkerStyles = ["[REDACTED:{0}]", "[REDACTED]", "***", "#", ""];

    private readonly string[] _names;

    private SecretRedactor(string[] names, byte[][] values)
    {
        _names = names;
        var direct = new List<(byte[], int)>();
        var decoded = new List<(byte[], int)>();
        for (var i = 0; i < values.Length; i++)
        {
            direct.AddRange(RedactionForms.Direct(values[i]).Distinct(ByteStrings.Comparer).Select(form => (form, i)));
            decoded.Add((values[i], i));
        }

        Direct = new PatternAutomaton(direct);
        Decoded = new PatternAutomaton(decoded);
        Markers = ChooseMarkers(names, [.. direct.Select(p => p.Item1)]);
    }

    /// <summary>Redacts nothing: a job or session that was given no secret.</summary>
    public static SecretRedactor None { get; } = new([], []);

    public bool IsEmpty => _names.Length == 0;

    /// <summary>The longest form in output bytes (a URL-encoded value can take three bytes per byte).</summary>
    public int MaxFormLength => Math.Max(Direct.MaxLength, 3 * Decoded.MaxLength);

    internal PatternAutomaton Direct { get; }

    internal PatternAutomaton Decoded { get; }

    /// <summary>The replacement of each secret, by index.</summary>
    internal byte[][] Markers { get; }

    /// <summary>A redactor for these secrets (name → value); empty values are ignored, as they cannot leak.</summary>
    public static SecretRedactor For(IEnumerable<KeyValuePair<string, string>> secrets) =>
        For(secrets.Select(s => new KeyValuePair<string, byte[]>(s.Key, Encoding.UTF8.GetBytes(s.Value))));

    /// <summary>A redactor for these secrets (name → value bytes).</summary>
    public static SecretRedactor For(IEnumerable<KeyValuePair<string, byte[]>> secrets)
    {
        var kept = secrets.Where(s => s.Value.Length > 0).ToList();
        return kept.Count == 0 ? None : new SecretRedactor([.. kept.Select(s => s.Key)], [.. kept.Select(s => s.Value.ToArray())]);
    }

    /// <summary>A fresh streaming state for one output stream (stdout, stderr).</summary>
    public StreamingRedactor CreateStream() => new(this);

    /// <summary>Redacts a whole byte string; returns the input itself when nothing was found.</summary>
    public byte[] Redact(byte[] data)
    {
        if (IsEmpty || data.Length == 0)
        {
            return data;
        }

        var output = new ArrayBufferWriter<byte>(data.Length);
        var stream = CreateStream();
        stream.Write(data, output);
        stream.Complete(output);
        return stream.Redactions == 0 ? data : output.WrittenSpan.ToArray();
    }

    /// <summary>Redacts a whole text (as UTF-8); returns the input itself when nothing was found.</summary>
    public string Redact(string text)
    {
        if (IsEmpty || text.Length == 0)
        {
            return text;
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        var redacted = Redact(bytes);
        return ReferenceEquals(redacted, bytes) ? text : Encoding.UTF8.GetString(redacted);
    }

    /// <inheritdoc cref="Redact(string)"/>
    public string? RedactOrNull(string? text) => text is null ? null : Redact(text);

    public override string ToString() => $"SecretRedactor({string.Join(", ", _names)})";

    private byte[][] ChooseMarkers(string[] names, byte[][] forms)
    {
        foreach (var style in MarkerStyles)
        {
            var markers = names.Select(name => Encoding.UTF8.GetBytes(string.Format(System.Globalization.CultureInfo.InvariantCulture, style, name))).ToArray();
            if (style.Length == 0 || markers.All(marker => Safe(marker, forms)))
            {
                return markers;
            }
        }

        throw new InvalidOperationException("The empty marker is always safe.");
    }

    /// <summary>
    /// True when no form occurs in the marker, begins with a suffix of it or ends with a prefix of it: then replacing
    /// a value with the marker can never put a form in the output that was not there before.
    /// </summary>
    private bool Safe(byte[] marker, byte[][] forms)
    {
        var state = 0;
        foreach (var b in marker)
        {
            state = Direct.Step(state, b);
            if (Direct.MatchLength(state) > 0)
            {
                return false;
            }
        }

        if (Direct.Depth(state) > 0)
        {
            return false;
        }

        foreach (var form in forms)
        {
            for (var k = 1; k <= Math.Min(marker.Length, form.Length); k++)
            {
                if (form.AsSpan().EndsWith(marker.AsSpan(0, k)))
                {
                    return false;
                }
            }
        }

        // The decoded view: a raw value made of marker bytes is already caught above (the raw value is a direct form).
        return true;
    }
}
