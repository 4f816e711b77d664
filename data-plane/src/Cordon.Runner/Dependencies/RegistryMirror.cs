using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cordon.Logging;
using Cordon.Packages;
using Cordon.Runner.Egress;
using Microsoft.Extensions.Logging;

namespace Cordon.Runner.Dependencies;

/// <summary>
/// What an installing sandbox finds on its egress socket instead of the proxy: a registry that serves only the
/// allowlist. pip and npm are pointed at it (<see cref="PythonIndexInSandbox"/>, <see cref="NpmRegistryInSandbox"/>);
/// the runner fetches from the real registry itself, filters each index page and package document to the admitted
/// packages and versions, and serves a file only through a link it signed. Nothing else leaves the sandbox: no
/// CONNECT, no other host, no other path. The packages it refused are named in the installation's failure.
/// </summary>
internal sealed partial class RegistryMirror : IAsyncDisposable
{
    public const string PythonIndexInSandbox = "http://127.0.0.1:3128/pypi/simple/";

    public const string NpmRegistryInSandbox = "http://127.0.0.1:3128/npm/";

    private const string MirrorOrigin = "http://127.0.0.1:3128";
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, byte> _connections = new();
    private readonly ConcurrentDictionary<string, byte> _refused = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _narrowed = new(StringComparer.Ordinal);
    private readonly MirrorLinks _links = new();
    private readonly PackageAllowlist _allowlist;
    private readonly DependencyOptions _options;
    private readonly RegistryHosts _hosts;
    private readonly RegistryClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private Task _accepting = Task.CompletedTask;
    private long _downloaded;
    private int _disposed;

    public RegistryMirror(PackageAllowlist allowlist, DependencyOptions options, RegistryHosts hosts, RegistryClient client, TimeProvider time, ILogger logger)
    {
        _allowlist = allowlist;
        _options = options;
        _hosts = hosts;
        _client = client;
        _time = time;
        _logger = logger;
    }

    /// <summary>Packages the installation asked for that the allowlist does not name.</summary>
    public IReadOnlyCollection<string> Refused => [.. _refused.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Allowlisted packages of which some published versions were held back (outside their constraint).</summary>
    public IReadOnlyCollection<string> Narrowed => [.. _narrowed.Keys.Order(StringComparer.Ordinal)];

    public bool OverBudget => Interlocked.Read(ref _downloaded) > _options.MaxInstallBytes;

    public string SocketPath { get; private set; } = "";

    public void Start(string socketPath)
    {
        SocketPath = socketPath;
        _listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        File.SetUnixFileMode(socketPath, (UnixFileMode)Convert.ToInt32("666", 8));
        _listener.Listen(64);
        var stopping = _stopping.Token;
        _accepting = AcceptLoop.RunAsync(_listener, client => ServeAsync(client, stopping), _connections, e => LogRequestFailed(_logger, nameof(SocketException), e.Message), _time, stopping);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        _listener.Dispose();
        await _accepting;
        await Task.WhenAll(_connections.Keys);
        _stopping.Dispose();
    }

    private async Task ServeAsync(Socket client, CancellationToken stopping)
    {
        using var connection = client;
        try
        {
            var buffer = new byte[HeadReader.MaxHeadBytes];
            var read = await HeadReader.ReadAsync(client, buffer, TimeSpan.FromSeconds(30), _time, stopping);
            if (read.Outcome != HeadOutcome.Complete || !RequestHead.TryParse(buffer.AsSpan(0, read.HeadLength - 4), out var head, out _))
            {
                await MirrorResponse.RefuseAsync(client, 400, "not an HTTP request", stopping);
                return;
            }

            if (!head.Target.StartsWith('/'))
            {
                // CONNECT host:443, or http://host/…: only the registry is reachable while installing.
                await MirrorResponse.RefuseAsync(client, 403, $"{LogText.Escape(head.Target, 200)} denied: while dependencies install, only the package registry is reachable", stopping);
                return;
            }

            if (head.Method != "GET")
            {
                await MirrorResponse.RefuseAsync(client, 405, "only GET is served", stopping);
                return;
            }

            await RouteAsync(client, Uri.UnescapeDataString(head.Target.Split('?')[0]), head, stopping);
        }
        catch (Exception e) when (e is SocketException or IOException or HttpRequestException or OperationCanceledException or JsonException)
        {
            LogRequestFailed(_logger, e.GetType().Name, LogText.Escape(e.Message, 300)!);
            try
            {
                await MirrorResponse.RefuseAsync(client, 502, "the registry could not be reached: " + e.GetType().Name, CancellationToken.None);
            }
            catch (Exception closed) when (closed is SocketException or IOException or ObjectDisposedException)
            {
                // The client is gone too.
            }
        }
    }

    private Task RouteAsync(Socket client, string path, RequestHead head, CancellationToken cancellationToken)
    {
        var python = _allowlist.Ecosystem == PackageNames.Python;
        if (python && path.StartsWith("/pypi/simple/", StringComparison.Ordinal))
        {
            return PythonPageAsync(client, path["/pypi/simple/".Length..].TrimEnd('/'), cancellationToken);
        }

        if (python && path.StartsWith("/pypi/files/", StringComparison.Ordinal))
        {
            return FileAsync(client, path["/pypi/files/".Length..], cancellationToken);
        }

        if (!python && path.StartsWith("/npm/-/files/", StringComparison.Ordinal))
        {
            return FileAsync(client, path["/npm/-/files/".Length..], cancellationToken);
        }

        if (!python && path.StartsWith("/npm/", StringComparison.Ordinal) && !path.StartsWith("/npm/-/", StringComparison.Ordinal))
        {
            return NpmDocumentAsync(client, path["/npm/".Length..], head.Values("Accept").FirstOrDefault(), cancellationToken);
        }

        return MirrorResponse.RefuseAsync(client, 404, $"{LogText.Escape(path, 200)} is not served while dependencies install", cancellationToken);
    }

    private async Task PythonPageAsync(Socket client, string project, CancellationToken cancellationToken)
    {
        if (!PackageNames.IsValid(PackageNames.Python, project))
        {
            await MirrorResponse.RefuseAsync(client, 404, "not a package name", cancellationToken);
            return;
        }

        var name = PackageNames.Normalize(PackageNames.Python, project);
        if (!await AdmittedAsync(client, name, cancellationToken))
        {
            return;
        }

        var page = new Uri(new Uri(WithSlash(_options.PythonIndexUrl)), name + "/");
        using var response = await _client.GetAsync(page, "text/html", cancellationToken);
        if (response is not { IsSuccessStatusCode: true })
        {
            await MirrorResponse.RefuseAsync(client, response is null ? 502 : (int)response.StatusCode == 404 ? 404 : 502, $"the index has no page for '{name}'", cancellationToken);
            return;
        }

        var html = await ReadBoundedAsync(response, cancellationToken);
        var filtered = SimpleIndexPage.Filter(html, response.RequestMessage?.RequestUri ?? page, name, _allowlist, _hosts, (url, file) => $"/pypi/files/{_links.Sign(url)}/{Uri.EscapeDataString(file)}", out var dropped);
        Narrow(name, dropped);
        await MirrorResponse.WriteAsync(client, 200, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(filtered), cancellationToken);
    }

    private async Task NpmDocumentAsync(Socket client, string package, string? accept, CancellationToken cancellationToken)
    {
        if (!PackageNames.IsValid(PackageNames.JavaScript, package))
        {
            await MirrorResponse.RefuseAsync(client, 404, "not a package name", cancellationToken);
            return;
        }

        var name = PackageNames.Normalize(PackageNames.JavaScript, package);
        if (!await AdmittedAsync(client, name, cancellationToken))
        {
            return;
        }

        var registry = new Uri(WithSlash(_options.NpmRegistryUrl));
        var document = new Uri(registry, name.Replace("/", "%2f", StringComparison.Ordinal));
        using var response = await _client.GetAsync(document, accept ?? "application/json", cancellationToken);
        if (response is not { IsSuccessStatusCode: true })
        {
            await MirrorResponse.RefuseAsync(client, response is not null && (int)response.StatusCode == 404 ? 404 : 502, $"the registry has no document for '{name}'", cancellationToken);
            return;
        }

        var json = JsonNode.Parse(await ReadBoundedAsync(response, cancellationToken)) as JsonObject ?? throw new JsonException("not a JSON object");
        var filtered = NpmPackument.Filter(json, name, _allowlist, response.RequestMessage?.RequestUri ?? document, _hosts, (url, file) => $"{MirrorOrigin}/npm/-/files/{_links.Sign(url)}/{Uri.EscapeDataString(file)}", out var dropped);
        Narrow(name, dropped);
        await MirrorResponse.WriteAsync(client, 200, "application/json", Encoding.UTF8.GetBytes(filtered.ToJsonString()), cancellationToken);
    }

    private async Task FileAsync(Socket client, string rest, CancellationToken cancellationToken)
    {
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !_links.TryOpen(rest[..slash], out var upstream))
        {
            await MirrorResponse.RefuseAsync(client, 403, "only files the mirror itself listed can be downloaded", cancellationToken);
            return;
        }

        using var response = await _client.GetAsync(upstream, "*/*", cancellationToken);
        if (response is not { IsSuccessStatusCode: true })
        {
            await MirrorResponse.RefuseAsync(client, 502, $"the registry did not serve {LogText.Escape(Path.GetFileName(upstream.AbsolutePath), 200)}", cancellationToken);
            return;
        }

        var length = response.Content.Headers.ContentLength;
        await MirrorResponse.WriteHeadAsync(client, 200, "application/octet-stream", length, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (Interlocked.Add(ref _downloaded, read) > _options.MaxInstallBytes)
            {
                return; // cut short: the installer sees a truncated download and fails; OverBudget says why
            }

            await client.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, cancellationToken);
        }
    }

    private async Task<bool> AdmittedAsync(Socket client, string name, CancellationToken cancellationToken)
    {
        if (_allowlist.Knows(name))
        {
            return true;
        }

        _refused[name] = 0;
        LogRefused(_logger, LogText.Escape(name, 214)!);
        await MirrorResponse.RefuseAsync(client, 403, $"'{name}' is not on the tenant's {_allowlist.Ecosystem} allowlist", cancellationToken);
        return false;
    }

    private void Narrow(string name, int dropped)
    {
        if (dropped > 0)
        {
            _narrowed.AddOrUpdate(name, dropped, (_, n) => n + dropped);
        }
    }

    /// <summary>An index page or package document, within the installation's byte budget (a few MiB at most in practice).</summary>
    private async Task<string> ReadBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (Interlocked.Add(ref _downloaded, bytes.Length) > _options.MaxInstallBytes)
        {
            throw new IOException("the installation's download budget is spent");
        }

        return Encoding.UTF8.GetString(bytes);
    }

    private static string WithSlash(string url) => url.EndsWith('/') ? url : url + "/";

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Dependency mirror refused package {Package}: not on the allowlist")]
    private static partial void LogRefused(ILogger logger, string package);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Dependency mirror request failed ({Kind}): {Message}")]
    private static partial void LogRequestFailed(ILogger logger, string kind, string message);
}
