namespace Cordon.Runner.Dependencies;

/// <summary>
/// A kept installed set a sandbox mounts: its directory stays whole until the lease is disposed (when the sandbox
/// is destroyed). <see cref="Summary"/> is what the installation reported when it was made.
/// </summary>
internal sealed class DependencyLease(string directory, string summary, Action release) : IDisposable
{
    private int _released;

    public string Directory { get; } = directory;

    public string Summary { get; } = summary;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            release();
        }
    }
}
