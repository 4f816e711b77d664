using System.Net.Http.Headers;
using System.Text;
using Cordon.Client.Problems;

namespace Cordon.Cli.Mcp;

/// <summary>One line out of an HTTP error body (problem details or text), for the JSON-RPC error the bridge synthesizes.</summary>
internal static class ErrorBody
{
    public static string? Summarize(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        var problem = ProblemReader.Parse(0, null, new MediaTypeHeaderValue("application/json"), Encoding.UTF8.GetBytes(body));
        return (problem.Detail ?? problem.Title)?.ReplaceLineEndings(" ");
    }
}
