using System.Globalization;
using System.Text.RegularExpressions;

namespace Cordon.Packages;

/// <summary>
/// A Python package version as PEP 440 defines it (<c>[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]</c>, with the
/// spec's normalisations: <c>alpha</c> → a, <c>c</c>/<c>pre</c>/<c>preview</c> → rc, <c>rev</c>/<c>r</c> → post, a
/// leading <c>v</c>, separators). Ordering follows the spec (and pip's <c>packaging</c>): dev before pre before final
/// before post, trailing zeros of the release ignored.
/// </summary>
internal sealed partial class Pep440Version : IComparable<Pep440Version>
{
    private Pep440Version(long epoch, long[] release, (int Kind, long Number)? pre, long? post, long? dev, string[]? local)
    {
        Epoch = epoch;
        Release = release;
        Pre = pre;
        Post = post;
        Dev = dev;
        Local = local;
    }

    public long Epoch { get; }

    public IReadOnlyList<long> Release { get; }

    /// <summary>0 = a, 1 = b, 2 = rc.</summary>
    public (int Kind, long Number)? Pre { get; }

    public long? Post { get; }

    public long? Dev { get; }

    public IReadOnlyList<string>? Local { get; }

    public bool IsPrerelease => Pre is not null || Dev is not null;

    public bool IsPostrelease => Post is not null;

    /// <summary>This version without its local label.</summary>
    public Pep440Version Public => Local is null ? this : new(Epoch, [.. Release], Pre, Post, Dev, null);

    /// <summary>Epoch and release only (<c>1!2.0rc1.post3</c> → <c>1!2.0</c>).</summary>
    public Pep440Version Base => new(Epoch, [.. Release], null, null, null, null);

    public static bool TryParse(string? text, out Pep440Version version)
    {
        version = null!;
        if (text is null || text.Length > 128)
        {
            return false;
        }

        var match = Pattern().Match(text.Trim());
        if (!match.Success)
        {
            return false;
        }

        if (!TryNumber(match.Groups["epoch"], 0, out var epoch))
        {
            return false;
        }

        var parts = match.Groups["release"].Value.Split('.');
        var release = new long[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out release[i]) || parts[i].Length > 18)
            {
                return false;
            }
        }

        (int, long)? pre = null;
        if (match.Groups["pre"].Success)
        {
            var kind = match.Groups["pre_l"].Value.ToLowerInvariant() switch
            {
                "a" or "alpha" => 0,
                "b" or "beta" => 1,
                _ => 2,
            };
            if (!TryNumber(match.Groups["pre_n"], 0, out var n))
            {
                return false;
            }

            pre = (kind, n);
        }

        long? post = null;
        if (match.Groups["post"].Success)
        {
            var group = match.Groups["post_n1"].Success ? match.Groups["post_n1"] : match.Groups["post_n2"];
            if (!TryNumber(group, 0, out var n))
            {
                return false;
            }

            post = n;
        }

        long? dev = null;
        if (match.Groups["dev"].Success)
        {
            if (!TryNumber(match.Groups["dev_n"], 0, out var n))
            {
                return false;
            }

            dev = n;
        }

        var local = match.Groups["local"].Success
            ? match.Groups["local"].Value.ToLowerInvariant().Split('-', '_', '.')
            : null;
        version = new Pep440Version(epoch, release, pre, post, dev, local);
        return true;
    }

    public int CompareTo(Pep440Version? other)
    {
        if (other is null)
        {
            return 1;
        }

        var c = Epoch.CompareTo(other.Epoch);
        if (c != 0)
        {
            return c;
        }

        var length = Math.Max(Release.Count, other.Release.Count);
        for (var i = 0; i < length; i++)
        {
            c = At(Release, i).CompareTo(At(other.Release, i));
            if (c != 0)
            {
                return c;
            }
        }

        c = PreKey(this).CompareTo(PreKey(other));
        if (c != 0)
        {
            return c;
        }

        c = (Post ?? -1).CompareTo(other.Post ?? -1);
        if (c != 0)
        {
            return c;
        }

        c = (Dev ?? long.MaxValue).CompareTo(other.Dev ?? long.MaxValue);
        return c != 0 ? c : CompareLocal(Local, other.Local);
    }

    public override string ToString()
    {
        var text = (Epoch != 0 ? Epoch.ToString(CultureInfo.InvariantCulture) + "!" : "")
            + string.Join('.', Release.Select(r => r.ToString(CultureInfo.InvariantCulture)));
        if (Pre is { } pre)
        {
            text += (pre.Kind switch { 0 => "a", 1 => "b", _ => "rc" }) + pre.Number.ToString(CultureInfo.InvariantCulture);
        }

        text += Post is { } post ? ".post" + post.ToString(CultureInfo.InvariantCulture) : "";
        text += Dev is { } dev ? ".dev" + dev.ToString(CultureInfo.InvariantCulture) : "";
        return Local is null ? text : text + "+" + string.Join('.', Local);
    }

    private static long At(IReadOnlyList<long> release, int i) => i < release.Count ? release[i] : 0;

    // A dev release without a pre-release sorts before every pre-release of its release; a final after them.
    private static (int, long) PreKey(Pep440Version v) => v.Pre switch
    {
        { } pre => (pre.Kind, pre.Number),
        null when v.Dev is not null && v.Post is null => (-1, 0),
        _ => (3, 0),
    };

    private static int CompareLocal(IReadOnlyList<string>? a, IReadOnlyList<string>? b)
    {
        if (a is null || b is null)
        {
            return (a is null ? 0 : 1) - (b is null ? 0 : 1);
        }

        for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            var aNumeric = long.TryParse(a[i], NumberStyles.None, CultureInfo.InvariantCulture, out var an);
            var bNumeric = long.TryParse(b[i], NumberStyles.None, CultureInfo.InvariantCulture, out var bn);
            // Numeric segments sort after alphanumeric ones.
            var c = (aNumeric, bNumeric) switch
            {
                (true, true) => an.CompareTo(bn),
                (true, false) => 1,
                (false, true) => -1,
                _ => string.CompareOrdinal(a[i], b[i]),
            };
            if (c != 0)
            {
                return c;
            }
        }

        return a.Count.CompareTo(b.Count);
    }

    private static bool TryNumber(Group group, long fallback, out long value)
    {
        value = fallback;
        return !group.Success || group.Value.Length == 0
            || (group.Value.Length <= 18 && long.TryParse(group.Value, NumberStyles.None, CultureInfo.InvariantCulture, out value));
    }

    [GeneratedRegex(
        @"^v?(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\.[0-9]+)*)"
        + @"(?<pre>[-_\.]?(?<pre_l>alpha|a|beta|b|preview|pre|c|rc)[-_\.]?(?<pre_n>[0-9]+)?)?"
        + @"(?<post>(?:-(?<post_n1>[0-9]+))|(?:[-_\.]?(?<post_l>post|rev|r)[-_\.]?(?<post_n2>[0-9]+)?))?"
        + @"(?<dev>[-_\.]?(?<dev_l>dev)[-_\.]?(?<dev_n>[0-9]+)?)?"
        + @"(?:\+(?<local>[a-z0-9]+(?:[-_\.][a-z0-9]+)*))?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Pattern();
}
