using System.Security.Cryptography;
using Cordon.Contracts.Audit;

namespace Cordon.Audit;

/// <summary>How a record is linked into the chain: its hash covers its canonical JSON, previous hash included.</summary>
internal static class AuditChain
{
    /// <summary>The previous hash of the first record.</summary>
    public static readonly string GenesisHash = new('0', 64);

    public static string ComputeHash(AuditRecord record) =>
        Convert.ToHexStringLower(SHA256.HashData(AuditCanonicalJson.Serialize(record, withHash: false)));

    /// <summary>The draft as record <paramref name="seq"/> after the record whose hash is <paramref name="prevHash"/>.</summary>
    public static AuditRecord Seal(AuditRecord draft, long seq, string prevHash)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var linked = draft with { Seq = seq, PrevHash = prevHash, Hash = "" };
        return linked with { Hash = ComputeHash(linked) };
    }

    /// <summary>The record's segment line: its canonical JSON with the hash, and a newline.</summary>
    public static byte[] Line(AuditRecord record)
    {
        var json = AuditCanonicalJson.Serialize(record, withHash: true);
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        return line;
    }
}
