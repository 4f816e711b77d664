namespace Cordon.Runner.Configuration;

/// <summary>
/// The host or configuration makes running unsafe (an id range shared with local users, a short service token…):
/// the runner prints the message for the operator and exits non-zero, without a stack trace.
/// </summary>
internal sealed class RunnerStartupException(string message) : Exception(message)
{
    public const int ExitCode = 78; // EX_CONFIG

    /// <summary>This exception, also when the host wrapped it while starting its services.</summary>
    public static RunnerStartupException? Find(Exception e) => e switch
    {
        RunnerStartupException startup => startup,
        AggregateException aggregate => aggregate.InnerExceptions.Select(Find).FirstOrDefault(x => x is not null),
        _ when e.InnerException is { } inner => Find(inner),
        _ => null,
    };
}
