namespace Cordon.TestSupport;

/// <summary>The <c>name: value</c> lines a probe program prints, one check per line.</summary>
public static class ProbeLines
{
    /// <summary>The value of the first <c>name: value</c> line in <paramref name="output"/>, or null when there is none.</summary>
    public static string? Find(string output, string name)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith(name + ": ", StringComparison.Ordinal))
            {
                return line[(name.Length + 2)..];
            }
        }

        return null;
    }
}
