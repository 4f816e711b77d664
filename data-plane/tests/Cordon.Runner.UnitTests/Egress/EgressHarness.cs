using System.Net;
using System.Net.Sockets;
using Cordon.Runner.Egress;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cordon.Runner.UnitTests.Egress;

/// <summary>
/// One test's proxy: a fresh directory for its socket, options that admit 127.0.0.0/8 (where the test's upstreams
/// listen), a resolver that answers the test's names from a table, and no "own" addresses (the real provider would
/// list 127.0.0.1 and refuse every upstream).
/// </summary>
internal sealed class EgressHarness : IAsyncDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("cordon-egress-");
    private readonly List<EgressProxy> _proxies = [];

    public EgressOptions Options { get; } = new() { AllowedPrivateRanges = ["127.0.0.0/8"] };

    /// <summary>The names the resolver knows; any other name is "host not found".</summary>
    public Dictionary<string, IPAddress[]> Names { get; } = new(StringComparer.Ordinal)
    {
        ["echo.test"] = [IPAddress.Loopback],
        ["web.test"] = [IPAddress.Loopback],
        ["internal.test"] = [IPAddress.Parse("10.1.2.3")],
        ["mixed.test"] = [IPAddress.Parse("198.51.100.7"), IPAddress.Parse("192.168.1.1")],
        ["metadata.test"] = [IPAddress.Parse("::ffff:169.254.169.254")],
    };

    /// <summary>How many times each name was looked up.</summary>
    public Dictionary<string, int> Lookups { get; } = new(StringComparer.Ordinal);

    public string SocketPath => Path.Combine(_directory.FullName, "egress.sock");

    public EgressProxy Start(params string[] rules) => Start(null, rules);

    /// <summary>The runner CA of the last proxy started: what a sandbox would trust.</summary>
    public EgressCertificateAuthority? Authority { get; private set; }

    public EgressProxy Start(ProxySecrets? secrets, params string[] rules)
    {
        var allowlist = rules.Select(text => EgressRule.TryParse(text, out var rule, out var problem) ? rule : throw new ArgumentException(problem)).ToList();
        var factory = new EgressProxyFactory(
            Microsoft.Extensions.Options.Options.Create(Options), TimeProvider.System, NullLogger<EgressProxy>.Instance, ResolveAsync, () => []);
        Authority = factory.Authority;
        var proxy = factory.Start(SocketPath, allowlist, secrets);
        _proxies.Add(proxy);
        return proxy;
    }

    public Task<ProxyClient> ConnectAsync() => ProxyClient.ConnectAsync(SocketPath, TestContext.Current.CancellationToken);

    /// <summary>Waits until <paramref name="count"/> records have ended, taking them all.</summary>
    public static async Task<List<EgressConnectionRecord>> RecordsAsync(EgressProxy proxy, int count)
    {
        var records = new List<EgressConnectionRecord>();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (records.Count < count && DateTime.UtcNow < deadline)
        {
            records.AddRange(proxy.TakeRecords());
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.True(records.Count >= count, $"{records.Count} of {count} records within 15 s");
        return records;
    }

    /// <summary>Waits (up to 15 s) for <paramref name="condition"/>: the proxy accepts and counts in the background.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.True(condition(), "not within 15 s");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var proxy in _proxies)
        {
            await proxy.DisposeAsync();
        }

        _directory.Delete(recursive: true);
    }

    private ValueTask<IPAddress[]> ResolveAsync(string name, CancellationToken cancellationToken)
    {
        lock (Lookups)
        {
            Lookups[name] = Lookups.GetValueOrDefault(name) + 1;
        }

        return Names.TryGetValue(name, out var addresses)
            ? ValueTask.FromResult(addresses)
            : ValueTask.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));
    }
}
