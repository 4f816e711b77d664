using System.Text.Json.Nodes;
using Cordon.Contracts.Runner.Agent;
using Cordon.Contracts.Runner.V1;
using Cordon.Runner.Configuration;
using Cordon.Runner.Egress;
using Cordon.Runner.Execution;
using Cordon.Runner.Oci;
using Cordon.Runner.Runtimes;
using Cordon.Runner.Sandboxes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using File = System.IO.File;

namespace Cordon.Runner.UnitTests.Sandboxes;

/// <summary><see cref="SandboxManager"/> against an in-memory OCI runtime and agent: create, fail, destroy, reap.</summary>
public sealed class SandboxManagerTests : IAsyncLifetime
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("cordon-manager-");
    private readonly FakeOciRuntime _oci = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private SandboxPaths _paths = null!;
    private SandboxManager _manager = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        var registry = Path.Combine(_root.FullName, "runtimes");
        Directory.CreateDirectory(registry);
        File.WriteAllText(Path.Combine(registry, "defaults.json"), """
            { "defaultLimits": { "timeoutMs": 10000, "memoryMb": 256, "cpus": 1.0, "pids": 128, "outputBytes": 1048576, "diskMb": 128 },
              "maxLimits": { "timeoutMs": 300000, "memoryMb": 4096, "cpus": 2.0, "pids": 1024, "outputBytes": 67108864, "diskMb": 2048 } }
            """);
        File.WriteAllText(Path.Combine(registry, "bash.json"), """{ "language": "bash", "aliases": ["sh"], "sourceExtensions": [], "versionCommand": [], "fileName": "main.sh", "run": ["bash", "{entrypoint}"] }""");
        var init = Path.Combine(_root.FullName, "cordon-init");
        File.WriteAllBytes(init, []);
        _paths = new SandboxPaths(Path.Combine(_root.FullName, "data")) { SlotLocks = Path.Combine(_root.FullName, "slots") };
        _manager = NewManager(capacity: 2, init);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _manager.DisposeAsync();
        _root.Delete(recursive: true);
    }

    [Fact]
    public async Task CreateAsync_Bash_WritesTheBundleStartsTheContainerAndReachesItsAgent()
    {
        var sandbox = await _manager.CreateAsync(Request("sh", new Limits { MemoryMb = 512 }), Token);

        Assert.Equal("bash", sandbox.Runtime.Language);
        Assert.Equal(512, sandbox.Limits.MemoryMb);
        Assert.Equal(_time.GetUtcNow(), sandbox.CreatedAt);
        Assert.Equal([$"run {sandbox.Id}"], _oci.Calls);
        Assert.Equal(1, _manager.Active);
        var config = _oci.Bundles[sandbox.Id];
        Assert.Equal(512L * 1024 * 1024, config["linux"]!["resources"]!["memory"]!["limit"]!.GetValue<long>());
        Assert.Equal($"/cordon/{sandbox.Id}", config["linux"]!["cgroupsPath"]!.GetValue<string>());
        var health = await sandbox.Agent.CallAsync<AgentHealth>(new AgentHealthQuery(), null, TimeSpan.FromSeconds(10), Token);
        Assert.Equal(AgentFrame.ProtocolVersion, health.ProtocolVersion);
    }

    [Fact]
    public async Task CreateAsync_WithEgress_ServesTheProxyBindsItsSocketAndSetsTheProxyVariables()
    {
        var sandbox = await _manager.CreateAsync(Request("bash") with { Egress = ["api.example.com:443"] }, Token);

        Assert.NotNull(sandbox.Egress);
        var socket = Path.Combine(sandbox.StateDirectory, "egress", "proxy.sock");
        Assert.Equal(socket, sandbox.Egress.SocketPath);
        Assert.True(File.Exists(socket));
        Assert.Equal("http://127.0.0.1:3128", sandbox.Env["https_proxy"]);
        Assert.Equal("localhost,127.0.0.1", sandbox.Env["NO_PROXY"]);
        var config = _oci.Bundles[sandbox.Id];
        var mount = config["mounts"]!.AsArray().Single(m => m!["destination"]!.GetValue<string>() == "/run/cordon-egress")!;
        Assert.Equal(Path.GetDirectoryName(socket), mount["source"]!.GetValue<string>());
        Assert.Equal(["bind", "ro", "nosuid", "nodev", "noexec"], mount["options"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.Equal("--egress-socket /run/cordon-egress/proxy.sock --egress-port 3128",
            string.Join(' ', config["process"]!["args"]!.AsArray().Select(a => a!.GetValue<string>()).SkipWhile(a => a != "--egress-socket")));

        await _manager.DestroyAsync(sandbox.Id, Token);
        Assert.False(File.Exists(socket));
    }

    [Fact]
    public async Task CreateAsync_WithoutEgress_NoProxyNoMountNoVariables()
    {
        var sandbox = await _manager.CreateAsync(Request("bash"), Token);

        Assert.Null(sandbox.Egress);
        Assert.False(sandbox.Env.ContainsKey("http_proxy"));
        var config = _oci.Bundles[sandbox.Id];
        Assert.DoesNotContain(config["mounts"]!.AsArray(), m => m!["destination"]!.GetValue<string>() == "/run/cordon-egress");
        Assert.DoesNotContain(config["process"]!["args"]!.AsArray(), a => a!.GetValue<string>() == "--egress-socket");
    }

    [Fact]
    public async Task CreateAsync_MalformedEgressEntry_RefusedBeforeAnythingStarts()
    {
        var error = await Assert.ThrowsAsync<BadExecRequestException>(() => _manager.CreateAsync(Request("bash") with { Egress = ["api.example.com"] }, Token));

        Assert.Contains("egress entry 'api.example.com'", error.Message, StringComparison.Ordinal);
        Assert.Empty(_oci.Calls);
        Assert.Equal(0, _manager.Active);
    }

    [Fact]
    public async Task CreateAsync_RuntimeFails_LeavesNothingBehind()
    {
        _oci.RunFailure = "container_linux.go: permission denied";

        var error = await Assert.ThrowsAsync<OciRuntimeException>(() => _manager.CreateAsync(Request("bash"), Token));

        Assert.Contains("permission denied", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _manager.Active);
        var id = _oci.Calls.First()["run ".Length..];
        Assert.Equal([$"run {id}", $"delete {id}"], _oci.Calls);
        Assert.False(Directory.Exists(_paths.StateOf(id)));
    }

    [Fact]
    public async Task CreateAsync_UnknownLanguage_StartsNothing()
    {
        var error = await Assert.ThrowsAsync<UnknownLanguageException>(() => _manager.CreateAsync(Request("cobol"), Token));

        Assert.Contains("cobol", error.Message, StringComparison.Ordinal);
        Assert.Empty(_oci.Calls);
    }

    [Fact]
    public async Task CreateAsync_LimitOverTheCeiling_StartsNothing()
    {
        await Assert.ThrowsAsync<LimitOutOfRangeException>(() => _manager.CreateAsync(Request("bash", new Limits { Pids = 100_000 }), Token));

        Assert.Empty(_oci.Calls);
    }

    [Fact]
    public async Task CreateAsync_AtCapacity_IsRefused()
    {
        await _manager.CreateAsync(Request("bash"), Token);
        await _manager.CreateAsync(Request("bash"), Token);

        await Assert.ThrowsAsync<SandboxCapacityException>(() => _manager.CreateAsync(Request("bash"), Token));
        Assert.Equal(2, _oci.Running.Count);
    }

    [Fact]
    public async Task DestroyAsync_Live_DeletesContainerAndStateAndIsIdempotent()
    {
        var sandbox = await _manager.CreateAsync(Request("bash"), Token);

        await _manager.DestroyAsync(sandbox.Id, Token);
        await _manager.DestroyAsync(sandbox.Id, Token);

        Assert.Equal([$"run {sandbox.Id}", $"delete {sandbox.Id}"], _oci.Calls);
        Assert.Empty(_oci.Running);
        Assert.False(Directory.Exists(sandbox.StateDirectory));
        Assert.Throws<SandboxNotFoundException>(() => _manager.Get(sandbox.Id));
        Assert.Equal(0, _manager.Active);
    }

    [Fact]
    public async Task ReapLeftoversAsync_AfterACrash_RemovesWhatTheRuntimeListsAndWhatIsOnDisk()
    {
        _oci.Leftovers["sbx-listed"] = 0;
        Directory.CreateDirectory(Path.Combine(_paths.StateOf("sbx-on-disk"), "run"));
        var live = await _manager.CreateAsync(Request("bash"), Token);

        await _manager.ReapLeftoversAsync(Token);

        Assert.Contains("delete sbx-listed", _oci.Calls);
        Assert.Contains("delete sbx-on-disk", _oci.Calls);
        Assert.DoesNotContain($"delete {live.Id}", _oci.Calls);
        Assert.False(Directory.Exists(_paths.StateOf("sbx-on-disk")));
        Assert.Equal([live.Id], _oci.Running);
    }

    [Fact]
    public async Task DisposeAsync_DestroysEveryLiveSandbox()
    {
        var first = await _manager.CreateAsync(Request("bash"), Token);
        var second = await _manager.CreateAsync(Request("bash"), Token);

        await _manager.DisposeAsync();

        Assert.Empty(_oci.Running);
        Assert.Contains($"delete {first.Id}", _oci.Calls);
        Assert.Contains($"delete {second.Id}", _oci.Calls);
    }

    [Fact]
    public async Task CreateAsync_SlotsOfDestroyedSandboxes_AreReused()
    {
        for (var i = 0; i < 5; i++)
        {
            var sandbox = await _manager.CreateAsync(Request("bash"), Token);
            await _manager.DestroyAsync(sandbox.Id, Token);
        }

        Assert.Equal(0, _manager.Active);
        Assert.Equal(10, _oci.Calls.Count);
    }

    private static SandboxRequest Request(string language, Limits? limits = null) =>
        new("tenant-a", language, limits, new Dictionary<string, string>(), OneShot: false);

    private SandboxManager NewManager(int capacity, string init) => new(
        new RunnerOptions { Capacity = capacity, DataDir = _paths.DataDirectory },
        _paths,
        RuntimeRegistry.Load(Path.Combine(_root.FullName, "runtimes")),
        _oci,
        new BundleGenerator(new SeccompProfile(JsonNode.Parse("""{"defaultAction":"SCMP_ACT_ERRNO"}""")!)),
        new CgroupStats(Directory.CreateDirectory(Path.Combine(_root.FullName, "cgroup")).FullName),
        Path.Combine(_root.FullName, "rootfs"),
        init,
        new EgressProxyFactory(Options.Create(new EgressOptions()), _time, NullLogger<EgressProxy>.Instance),
        _time,
        NullLogger<SandboxManager>.Instance);
}
