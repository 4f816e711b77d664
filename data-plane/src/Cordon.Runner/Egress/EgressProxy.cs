using System.Collections.Concurrent;
using System.Net.Sockets;
using Cordon.Logging;
using Cordon.Runner.Observability;
using Microsoft.Extensions.Logging;

namespace Cordon.Runner.Egress;

/// <summary>
/// One sandbox's way out: an HTTP proxy (CONNECT and absolute-form plain HTTP) on a Unix socket bind-mounted into
/// the sandbox. Who is asking is which socket the connection arrived on, so the allowlist, limits and records here
/// are that sandbox's alone. Made by <see cref="EgressProxyFactory.Start"/>.
/// </summary>
internal sealed class EgressProxy : IAsyncDisposable
{
    private const int Backlog = 64;
    private const int MaxPendingRecords = 10_000;
    private readonly EgressOptions _options;
    private readonly EgressPolicy _policy;
    private readonly TimeProvider _time;
    private readonly ILogger<EgressProxy> _logger;
    private readonly EgressMeter _meter;
    private readonly EgressInterception? _interception;
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<EgressConnectionRecord> _records = new();
    private readonly ConcurrentDictionary<Task, byte> _connections = new();
    private readonly CancellationTokenRegistration _onExhausted;
    private Task _accepting = Task.CompletedTask;
    private int _disposed;

    internal EgressProxy(string socketPath, EgressOptions options, EgressPolicy policy, TimeProvider time, ILogger<EgressProxy> logger, EgressInterception? interception = null)
    {
        _interception = interception;
        SocketPath = socketPath;
        _options = options;
        _policy = policy;
        _time = time;
        _logger = logger;
        _meter = new EgressMeter(options.MaxConnections, options.MaxBytes);
        _onExhausted = _meter.Exhausted.Register(() => EgressLog.ByteLimitReached(logger, socketPath, options.MaxBytes));
    }

    public string SocketPath { get; }

    /// <summary>Running totals since the start, the bytes of open tunnels included.</summary>
    public EgressTotals Totals => _meter.Totals;

    /// <summary>The records of the connections that ended or were refused since the last call (the newest 10,000 at most).</summary>
    public IReadOnlyList<EgressConnectionRecord> TakeRecords()
    {
        var taken = new List<EgressConnectionRecord>();
        while (_records.TryDequeue(out var record))
        {
            taken.Add(record);
        }

        return taken;
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
        try
        {
            File.Delete(SocketPath);
        }
        catch (IOException)
        {
            // Its directory went first (the sandbox's teardown); there is nothing left to unlink.
        }

        var totals = Totals;
        EgressLog.Stopped(_logger, SocketPath, totals.Connections, totals.Denied, totals.BytesOut, totals.BytesIn);
        await _onExhausted.DisposeAsync();
        _meter.Dispose();
        _stopping.Dispose();
    }

    /// <summary>
    /// Waits, at most <paramref name="patience"/>, for the connections open now to end: an execution's programs close
    /// theirs as they exit, a moment before the proxy sees it, and the execution's report should hold them. One still
    /// in use (a background process) stays open and is reported with a later execution.
    /// </summary>
    public async Task SettleAsync(TimeSpan patience, CancellationToken cancellationToken)
    {
        var open = _connections.Keys.ToArray();
        if (open.Length == 0)
        {
            return;
        }

        try
        {
            await Task.WhenAll(open).WaitAsync(patience, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Reported when they end.
        }
    }

    /// <summary>Binds the socket (a stale file there is replaced) open to every uid, and starts accepting.</summary>
    internal void Start(int rules)
    {
        try
        {
            File.Delete(SocketPath);
            _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
            // The sandbox's uid connects; the host-only parent directory is what keeps everyone else out.
            File.SetUnixFileMode(SocketPath, (UnixFileMode)Convert.ToInt32("666", 8));
            _listener.Listen(Backlog);
        }
        catch
        {
            _listener.Dispose();
            throw;
        }

        var stopping = _stopping.Token;
        _accepting = AcceptLoop.RunAsync(_listener, client => ServeAsync(client, stopping), _connections, e => EgressLog.AcceptFailed(_logger, e, SocketPath), _time, stopping);
        EgressLog.Listening(_logger, SocketPath, rules);
    }

    private EgressConnectionRecord Dropped(Socket client)
    {
        client.Dispose();
        return new EgressConnectionRecord(_time.GetUtcNow(), "", 0, null, false, "", EgressRefusal.ConnectionLimit, 0, 0, 0);
    }

    private async Task ServeAsync(Socket client, CancellationToken stopping)
    {
        var admission = _meter.Enter();
        EgressConnectionRecord record;
        try
        {
            record = admission == Admission.Drop
                ? Dropped(client)
                : await new EgressConnection(client, _options, _policy, _meter, _time, _logger, _interception).RunAsync(admission == Admission.Refuse, stopping);
        }
        catch (Exception e)
        {
            // RunAsync records its own failures; this is the last guard between a client and the runner.
            EgressLog.ConnectionFailed(_logger, e);
            client.Dispose();
            return;
        }
        finally
        {
            // Closed before its record is visible: whoever reads the record may count on the slot being free.
            _meter.Exit();
        }

        RunnerMetrics.EgressDecided(record.Allowed);
        if (!record.Allowed)
        {
            _meter.CountDenied();
            EgressLog.Denied(_logger, LogText.Escape(record.Host, 255)!, record.Port, record.Reason);
        }
        else
        {
            EgressLog.Ended(_logger, record.Host, record.Port, record.Rule, record.BytesOut, record.BytesIn, record.DurationMs, record.Reason);
        }

        _records.Enqueue(record);
        // Undrained records are capped: the oldest go first, the totals keep counting every connection.
        while (_records.Count > MaxPendingRecords && _records.TryDequeue(out _))
        {
        }
    }
}
