using Cordon.Contracts.Runner.V1;
using Cordon.Runner.Runtimes;
using File = System.IO.File;

namespace Cordon.Runner.UnitTests.Runtimes;

public sealed class LimitResolutionTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("cordon-registry-");
    private readonly RuntimeRegistry _registry;

    public LimitResolutionTests()
    {
        File.WriteAllText(Path.Combine(_directory.FullName, "defaults.json"), """
            {
              "defaultLimits": { "timeoutMs": 10000, "memoryMb": 256, "cpus": 1.0, "pids": 128, "outputBytes": 1048576, "diskMb": 128 },
              "maxLimits": { "timeoutMs": 300000, "memoryMb": 4096, "cpus": 2.0, "pids": 1024, "outputBytes": 67108864, "diskMb": 2048 }
            }
            """);
        File.WriteAllText(Path.Combine(_directory.FullName, "java.json"), """
            { "language": "java", "aliases": ["jdk"], "sourceExtensions": [".java"], "versionCommand": [], "fileName": "Main.java", "run": ["java", "{entrypoint}"], "defaultLimits": { "memoryMb": 1024, "pids": 256 } }
            """);
        File.WriteAllText(Path.Combine(_directory.FullName, "bash.json"), """{ "language": "bash", "aliases": ["sh"], "sourceExtensions": [], "versionCommand": [], "fileName": "main.sh", "run": ["bash", "{entrypoint}"] }""");
        _registry = RuntimeRegistry.Load(_directory.FullName);
    }

    public static TheoryData<string, string, Limits?, string> Resolved => new()
    {
        { "nothing asked: registry defaults", "bash", null, "10000/256/1/128/1048576/128" },
        { "runtime defaults over registry defaults", "java", null, "10000/1024/1/256/1048576/128" },
        { "request over runtime defaults", "java", new Limits { MemoryMb = 512, TimeoutMs = 2000 }, "2000/512/1/256/1048576/128" },
        { "zero means unset", "bash", new Limits { MemoryMb = 0, Pids = 0, Cpus = 0 }, "10000/256/1/128/1048576/128" },
        { "the ceilings themselves", "bash", new Limits { TimeoutMs = 300_000, MemoryMb = 4096, Cpus = 2, Pids = 1024, OutputBytes = 67_108_864, DiskMb = 2048 }, "300000/4096/2/1024/67108864/2048" },
        { "the floors", "bash", new Limits { TimeoutMs = 100, MemoryMb = 16, Cpus = 0.05, Pids = 8, OutputBytes = 1, DiskMb = 1 }, "100/16/0.05/8/1/1" },
    };

    public static TheoryData<Limits, string> Refused => new()
    {
        { new Limits { TimeoutMs = 300_001 }, "timeoutMs must be between 100 and 300000, got 300001" },
        { new Limits { TimeoutMs = 99 }, "timeoutMs must be between 100 and 300000, got 99" },
        { new Limits { MemoryMb = 8 }, "memoryMb must be between 16 and 4096, got 8" },
        { new Limits { Pids = 5000 }, "pids must be between 8 and 1024, got 5000" },
        { new Limits { DiskMb = 4096 }, "diskMb must be between 1 and 2048, got 4096" },
        { new Limits { Cpus = 3 }, "cpus must be between 0.05 and 2, got 3" },
        { new Limits { Cpus = 0.01 }, "cpus must be between 0.05 and 2, got 0.01" },
    };

    [Theory]
    [MemberData(nameof(Resolved))]
    public void Resolve_Request_FillsFromTheLayers(string name, string language, Limits? requested, string expected)
    {
        Assert.True(_registry.TryGet(language, out var runtime));

        var limits = _registry.Resolve(runtime, requested);

        // Expected as timeoutMs/memoryMb/cpus/pids/outputBytes/diskMb.
        var actual = FormattableString.Invariant($"{limits.TimeoutMs}/{limits.MemoryMb}/{limits.Cpus}/{limits.Pids}/{limits.OutputBytes}/{limits.DiskMb}");
        Assert.True(expected == actual, $"{name}: expected {expected}, got {actual}");
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void Resolve_OutOfRange_IsRefusedWithTheRange(Limits requested, string message)
    {
        Assert.True(_registry.TryGet("bash", out var runtime));

        var error = Assert.Throws<LimitOutOfRangeException>(() => _registry.Resolve(runtime, requested));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("JDK", "java")]
    [InlineData(" java ", "java")]
    [InlineData("bash", "bash")]
    public void TryGet_AliasOrCase_FindsTheRuntime(string asked, string language)
    {
        Assert.True(_registry.TryGet(asked, out var runtime));
        Assert.Equal(language, runtime.Language);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
