using System.Net;
using System.Text;
using Cordon.Client.Problems;

namespace Cordon.Client;

/// <summary>A Cordon API call answered with an error status; <see cref="Problem"/> holds the problem details.</summary>
public sealed class CordonApiException : Exception
{
    /// <summary>Creates the exception for a problem.</summary>
    public CordonApiException(CordonProblem problem)
        : base(Describe(problem))
    {
        Problem = problem;
    }

    /// <summary>Creates the exception with a message; the problem is a bare status 0.</summary>
    public CordonApiException(string message)
        : base(message)
    {
        Problem = new CordonProblem { Status = 0, Detail = message };
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public CordonApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problem = new CordonProblem { Status = 0, Detail = message };
    }

    /// <summary>Creates an exception without a message.</summary>
    public CordonApiException()
        : this("The Cordon API call failed.")
    {
    }

    /// <summary>The RFC 9457 problem details the server sent (or built from the status when it sent none).</summary>
    public CordonProblem Problem { get; }

    /// <summary>The HTTP status code.</summary>
    public HttpStatusCode StatusCode => (HttpStatusCode)Problem.Status;

    /// <summary>The problem type URI, when the server gave one.</summary>
    public string? ProblemType => Problem.Type;

    private static string Describe(CordonProblem problem)
    {
        var message = new StringBuilder();
        message.Append(problem.Title ?? $"HTTP {problem.Status}");
        message.Append(" (").Append(problem.Status).Append(')');
        if (!string.IsNullOrWhiteSpace(problem.Detail) && problem.Detail != problem.Title)
        {
            message.Append(": ").Append(problem.Detail);
        }

        return message.ToString();
    }
}
