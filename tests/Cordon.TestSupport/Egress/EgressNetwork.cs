using System.Diagnostics;
using System.Globalization;

namespace Cordon.TestSupport.Egress;

/// <summary>
/// A destination network the egress tests make for themselves: a network namespace joined to the host by a veth
/// pair on a /29 of TEST-NET-2 (198.51.100.0/24, a "public" range the proxy lets through), with a DNS server
/// (dnsmasq) answering the <c>.test</c> names of <see cref="EgressNames"/> — public, private, loopback, metadata,
/// the runner's own address — and an HTTP (:80, :8080) and HTTPS (:443) server that echoes what it received.
/// A runner started through <see cref="WithItsResolver"/> resolves names with that DNS server (its own mount
/// namespace with this network's <c>resolv.conf</c> bound over <c>/etc/resolv.conf</c>): the system resolver, as
/// in production, pointed at the test's names. Needs root; everything is removed on dispose.
/// </summary>
public sealed class EgressNetwork : IAsyncDisposable
{
    private const int MaxInstances = 32;
    private static readonly string MarkerDirectory = "/run/cordon-egress-tests";
    private readonly List<ChildProcess> _servers = [];

    private EgressNetwork(int instance, string directory)
    {
        Instance = instance;
        Directory = directory;
        HostAddress = Address(instance, 1);
        ServerAddress = Address(instance, 2);
    }

    public int Instance { get; }

    /// <summary>The namespace holding the servers.</summary>
    public string Namespace => $"cordon-eg{Instance}";

    /// <summary>The host's end of the veth pair: an address of the runner's own host.</summary>
    public string HostAddress { get; }

    /// <summary>Where the DNS, HTTP and HTTPS servers listen.</summary>
    public string ServerAddress { get; }

    /// <summary>Holds <c>resolv.conf</c>, the CA and the server's certificate.</summary>
    public string Directory { get; }

    public string ResolvConf => Path.Combine(Directory, "resolv.conf");

    /// <summary>The CA that signed the HTTPS server's certificate (PEM), for clients inside sandboxes to trust.</summary>
    public string CaCertificatePem { get; private set; } = "";

    /// <summary>The same CA as a file (root's only): for a proxy that must trust the test's servers (<c>UpstreamCaFile</c>).</summary>
    public string CaCertificatePath => Path.Combine(Directory, "ca.pem");

    private string HostLink => $"cdeg{Instance}h";

    private string ServerLink => $"cdeg{Instance}s";

    public static async Task<EgressNetwork> StartAsync(CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(MarkerDirectory);
        for (var instance = 0; instance < MaxInstances; instance++)
        {
            await RemoveIfAbandonedAsync(instance, cancellationToken);
            if ((await RunAsync(["ip", "netns", "add", $"cordon-eg{instance}"], cancellationToken, check: false)).ExitCode != 0)
            {
                continue; // another test holds it
            }

            await File.WriteAllTextAsync(MarkerPath(instance), Environment.ProcessId.ToString(CultureInfo.InvariantCulture), cancellationToken);
            var network = new EgressNetwork(instance, System.IO.Directory.CreateTempSubdirectory("cordon-egress-").FullName);
            try
            {
                await network.BuildAsync(cancellationToken);
                return network;
            }
            catch
            {
                await network.DisposeAsync();
                throw;
            }
        }

        throw new InvalidOperationException($"all {MaxInstances} egress test networks are in use");
    }

    /// <summary>
    /// <paramref name="info"/> run in a mount namespace of its own where <c>/etc/resolv.conf</c> names this network's
    /// DNS server; same program, arguments and environment.
    /// </summary>
    public ProcessStartInfo WithItsResolver(ProcessStartInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var wrapped = new ProcessStartInfo("unshare") { WorkingDirectory = info.WorkingDirectory };
        foreach (var argument in (string[])["--mount", "--", "/bin/sh", "-c", "mount --bind \"$0\" /etc/resolv.conf && exec \"$@\"", ResolvConf, info.FileName])
        {
            wrapped.ArgumentList.Add(argument);
        }

        foreach (var argument in info.ArgumentList)
        {
            wrapped.ArgumentList.Add(argument);
        }

        wrapped.Environment.Clear();
        foreach (var (key, value) in info.Environment)
        {
            wrapped.Environment[key] = value;
        }

        return wrapped;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        await RemoveAsync(Instance, CancellationToken.None);
        TraversableTempDirectory.TryDelete(Directory);
    }

    private async Task BuildAsync(CancellationToken cancellationToken)
    {
        string[][] commands =
        [
            ["ip", "link", "add", HostLink, "type", "veth", "peer", "name", ServerLink],
            ["ip", "link", "set", ServerLink, "netns", Namespace],
            ["ip", "addr", "add", HostAddress + "/29", "dev", HostLink],
            ["ip", "link", "set", HostLink, "up"],
            ["ip", "netns", "exec", Namespace, "ip", "addr", "add", ServerAddress + "/29", "dev", ServerLink],
            ["ip", "netns", "exec", Namespace, "ip", "link", "set", ServerLink, "up"],
            ["ip", "netns", "exec", Namespace, "ip", "link", "set", "lo", "up"],
        ];
        foreach (var command in commands)
        {
            await RunAsync(command, cancellationToken);
        }

        await File.WriteAllTextAsync(ResolvConf, $"nameserver {ServerAddress}\noptions timeout:2 attempts:2\n", cancellationToken);
        var certificates = TestCertificates.Create([.. EgressNames.WithCertificate], ServerAddress);
        CaCertificatePem = certificates.CaPem;
        await File.WriteAllTextAsync(CaCertificatePath, certificates.CaPem, cancellationToken);
        var cert = Path.Combine(Directory, "server.pem");
        var key = Path.Combine(Directory, "server.key");
        await File.WriteAllTextAsync(cert, certificates.ServerPem, cancellationToken);
        await File.WriteAllTextAsync(key, certificates.ServerKeyPem, cancellationToken);

        var dns = ChildProcess.CreateStartInfo("ip", [
            "netns", "exec", Namespace, "dnsmasq", "--no-daemon", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
            "--bind-interfaces", $"--listen-address={ServerAddress}", "--port=53", "--user=root", "--group=root", "--pid-file=",
            .. EgressNames.Records(ServerAddress, HostAddress).Select(r => $"--host-record={r.Name},{r.Address}")]);
        _servers.Add(ChildProcess.Start(dns, stopGrace: TimeSpan.FromSeconds(2)));
        var echo = ChildProcess.CreateStartInfo("ip", ["netns", "exec", Namespace, "/usr/bin/python3", RepoPaths.Combine("tests", "Cordon.TestSupport", "Egress", "egress-echo-server.py"), ServerAddress, cert, key]);
        echo.RedirectStandardInput = true;
        _servers.Add(ChildProcess.Start(echo, stopGrace: TimeSpan.FromSeconds(2)));
        await _servers[0].WaitUntilAsync(p => p.Output.Contains("started, version", StringComparison.Ordinal), "dnsmasq to start", TimeSpan.FromSeconds(20), cancellationToken);
        await _servers[1].WaitUntilAsync(p => p.Stdout.Contains("ready", StringComparison.Ordinal), "the echo server to start", TimeSpan.FromSeconds(20), cancellationToken);
    }

    private static string Address(int instance, int host) => $"198.51.100.{(instance * 8) + host}";

    private static string MarkerPath(int instance) => Path.Combine(MarkerDirectory, $"{instance}.pid");

    /// <summary>A network a crashed test process left (its marker names a pid that is gone) is taken down.</summary>
    private static async Task RemoveIfAbandonedAsync(int instance, CancellationToken cancellationToken)
    {
        if (!File.Exists($"/run/netns/cordon-eg{instance}"))
        {
            return;
        }

        var owner = File.Exists(MarkerPath(instance)) && int.TryParse(await File.ReadAllTextAsync(MarkerPath(instance), cancellationToken), out var pid) ? pid : 0;
        if (owner == 0 || !System.IO.Directory.Exists($"/proc/{owner}"))
        {
            await RemoveAsync(instance, cancellationToken);
        }
    }

    private static async Task RemoveAsync(int instance, CancellationToken cancellationToken)
    {
        // Deleting the namespace deletes the veth end in it, and with it the pair.
        await RunAsync(["ip", "link", "del", $"cdeg{instance}h"], cancellationToken, check: false);
        await RunAsync(["ip", "netns", "del", $"cordon-eg{instance}"], cancellationToken, check: false);
        File.Delete(MarkerPath(instance));
    }

    private static async Task<ProcessResult> RunAsync(string[] command, CancellationToken cancellationToken, bool check = true)
    {
        var result = await ChildProcess.RunAsync(ChildProcess.CreateStartInfo(command[0], command[1..]), TimeSpan.FromSeconds(20), cancellationToken);
        if (check && result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', command)} failed ({result.ExitCode}): {result.Output}");
        }

        return result;
    }
}
