namespace Cordon.TestSupport;

/// <summary>Runs the repository's own scripts (<c>scripts/&lt;name&gt;</c>) from its root, as a developer would.</summary>
public static class RepoScript
{
    /// <summary>Runs <c>scripts/<paramref name="name"/></c> to its end; killed and a <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public static Task<ProcessResult> RunAsync(string name, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken) =>
        ChildProcess.RunAsync(
            ChildProcess.CreateStartInfo(RepoPaths.Combine("scripts", name), arguments, workingDirectory: RepoPaths.Root), timeout, cancellationToken);
}
