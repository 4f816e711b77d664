namespace Cordon.Runner.Tests;

/// <summary>Tests in this collection share one runner process (start-up builds a root filesystem).</summary>
[CollectionDefinition(Name)]
public sealed class RunnerCollection : ICollectionFixture<RunnerProcess>
{
    public const string Name = "runner";
}
