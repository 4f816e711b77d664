namespace Cordon.Runner.Tests;

/// <summary>The 512-sandbox test owns the machine: it runs after the parallel tests, never beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConcurrencyCollection
{
    public const string Name = "concurrency";
}
