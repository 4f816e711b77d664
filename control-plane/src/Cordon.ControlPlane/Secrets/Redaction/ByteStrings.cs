namespace Cordon.ControlPlane.Secrets.Redaction;

/// <summary>Byte strings compared by content: a secret's forms often coincide (the hex of digits, short base64).</summary>
internal static class ByteStrings
{
    public static IEqualityComparer<byte[]> Comparer { get; } = new ContentComparer();

    private sealed class ContentComparer : IEqualityComparer<byte[]>
    {
        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj)
        {
            var hash = new HashCode();
            hash.AddBytes(obj);
            return hash.ToHashCode();
        }
    }
}
