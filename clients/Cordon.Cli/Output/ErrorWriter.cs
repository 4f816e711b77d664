using Cordon.Client.Problems;

namespace Cordon.Cli;

/// <summary>Prints problem details as one line (plus one line per validation error) on stderr.</summary>
internal static class ErrorWriter
{
    public static void WriteProblem(CordonProblem problem) => Console.Error.Write(Format(problem));

    public static string Format(CordonProblem problem)
    {
        var title = string.IsNullOrWhiteSpace(problem.Title) ? $"HTTP {problem.Status}" : problem.Title;
        var line = $"cordon: {title} ({problem.Status})";
        if (!string.IsNullOrWhiteSpace(problem.Detail) && problem.Detail != problem.Title)
        {
            line += ": " + OneLine(problem.Detail);
        }

        var text = new System.Text.StringBuilder(line).Append('\n');
        foreach (var (field, messages) in problem.Errors)
        {
            foreach (var message in messages)
            {
                text.Append("  ").Append(string.IsNullOrEmpty(field) ? "" : field + ": ").Append(OneLine(message)).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
