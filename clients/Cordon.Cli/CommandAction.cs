using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Cordon.Client;
using Cordon.Contracts.Problems;

namespace Cordon.Cli;

/// <summary>Runs a command's action and turns every failure into one clear line on stderr and a named exit code.</summary>
internal static class CommandAction
{
    public static void SetHandler(this Command command, Func<ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, action, cancellationToken));

    private static async Task<int> RunAsync(ParseResult parseResult, Func<ParseResult, CancellationToken, Task<int>> action, CancellationToken cancellationToken)
    {
        try
        {
            return await action(parseResult, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Cancelled;
        }
        catch (CliException ex)
        {
            Console.Error.WriteLine($"cordon: {ex.Message}");
            return ex.ExitCode;
        }
        catch (CordonApiException ex)
        {
            ErrorWriter.WriteProblem(ex.Problem);
            return ExitCodeFor(ex);
        }
        catch (HttpRequestException ex) when (IsConnectFailure(ex))
        {
            Console.Error.WriteLine($"cordon: cannot reach Cordon at {CliEnvironment.DisplayUrl}: is it running? (make run)");
            return ExitCodes.Unavailable;
        }
        catch (HttpRequestException ex)
        {
            Console.Error.WriteLine($"cordon: request to {CliEnvironment.DisplayUrl} failed: {ex.Message}");
            return ExitCodes.Unavailable;
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine($"cordon: {ex.Message}");
            return ExitCodes.Error;
        }
        catch (UnauthorizedAccessException ex)
        {
            Console.Error.WriteLine($"cordon: {ex.Message}");
            return ExitCodes.Error;
        }
    }

    public static bool IsConnectFailure(HttpRequestException ex) =>
        ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
        || ex.InnerException is SocketException;

    private static int ExitCodeFor(CordonApiException ex) => ex.StatusCode switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ExitCodes.Refused,
        HttpStatusCode.NotFound => ExitCodes.NotFound,
        HttpStatusCode.ServiceUnavailable => ExitCodes.Unavailable,
        _ when ex.ProblemType == ProblemTypes.PolicyDenied => ExitCodes.Refused,
        _ => ExitCodes.Error,
    };
}
