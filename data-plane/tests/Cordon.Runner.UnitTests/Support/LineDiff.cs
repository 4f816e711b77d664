using System.Text;

namespace Cordon.Runner.UnitTests.Support;

/// <summary>A unified-style diff of two line lists (longest common subsequence), with a few lines of context.</summary>
internal static class LineDiff
{
    private const int Context = 3;

    public static string Format(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var edits = Edits(expected, actual);
        var output = new StringBuilder();
        var lastPrinted = -1;
        for (var i = 0; i < edits.Count; i++)
        {
            if (edits[i].Kind == ' ' && !NearChange(edits, i))
            {
                continue;
            }

            if (lastPrinted >= 0 && i > lastPrinted + 1)
            {
                output.AppendLine("  …");
            }

            output.Append(edits[i].Kind).Append(' ').AppendLine(edits[i].Line);
            lastPrinted = i;
        }

        return output.ToString();
    }

    private static bool NearChange(List<(char Kind, string Line)> edits, int index)
    {
        for (var j = Math.Max(0, index - Context); j <= Math.Min(edits.Count - 1, index + Context); j++)
        {
            if (edits[j].Kind != ' ')
            {
                return true;
            }
        }

        return false;
    }

    private static List<(char Kind, string Line)> Edits(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var lcs = new int[a.Count + 1, b.Count + 1];
        for (var i = a.Count - 1; i >= 0; i--)
        {
            for (var j = b.Count - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var edits = new List<(char, string)>();
        int x = 0, y = 0;
        while (x < a.Count || y < b.Count)
        {
            if (x < a.Count && y < b.Count && a[x] == b[y])
            {
                edits.Add((' ', a[x++]));
                y++;
            }
            else if (y < b.Count && (x == a.Count || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                edits.Add(('+', b[y++]));
            }
            else
            {
                edits.Add(('-', a[x++]));
            }
        }

        return edits;
    }
}
