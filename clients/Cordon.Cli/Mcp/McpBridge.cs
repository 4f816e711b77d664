using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;

namespace Cordon.Cli.Mcp;

/// <summary>
/// A transparent proxy from the MCP stdio transport (newline-delimited JSON-RPC on stdin/stdout) to the MCP
/// streamable HTTP transport of a control plane. Every stdin line is POSTed as it is; a JSON answer, or each
/// <c>data</c> message of an SSE answer (server requests and notifications such as progress included), is
/// written to stdout as one line. The <c>Mcp-Session-Id</c> the server hands out is kept and sent back, and the
/// session is deleted when stdin closes. Logs go to stderr only; stdout carries nothing but MCP messages.
/// </summary>
internal sealed class McpBridge(HttpClient http, Uri endpoint, string? token, Stream output, TextWriter log)
{
    private const string SessionHeader = "Mcp-Session-Id";
    private const string ProtocolVersionHeader = "MCP-Protocol-Version";
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly List<Task> _inFlight = [];
    // Set by one forwarding task, read by the others.
    private volatile string? _sessionId;
    private volatile string? _protocolVersion;
    private int _listening;

    public async Task<int> RunAsync(TextReader input, CancellationToken cancellationToken)
    {
        try
        {
            while (await input.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                var message = IncomingMessage.Parse(line);
                if (message is null)
                {
                    await WriteLineAsync("""{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error: a line on stdin is not JSON."}}""", cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var forwarding = ForwardAsync(line, message, cancellationToken);
                if (message.IsInitialize)
                {
                    // Everything after initialize needs the session id its answer carries.
                    await forwarding.ConfigureAwait(false);
                    StartListening(cancellationToken);
                }
                else
                {
                    Track(forwarding);
                }
            }

            await Task.WhenAll(Snapshot()).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await EndSessionAsync().ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    private async Task ForwardAsync(string line, IncomingMessage message, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
            {
                Content = new StringContent(line, Encoding.UTF8, "application/json"),
            };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            AddSessionHeaders(request);

            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.Headers.TryGetValues(SessionHeader, out var ids) && ids.FirstOrDefault() is { Length: > 0 } id)
            {
                _sessionId = id;
            }

            if (!response.IsSuccessStatusCode)
            {
                await ForwardErrorAsync(response, message, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.NoContent)
            {
                return;
            }

            await ForwardBodyAsync(response, message, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (HttpRequestException ex)
        {
            var reason = CommandAction.IsConnectFailure(ex)
                ? $"cannot reach Cordon at {endpoint.GetLeftPart(UriPartial.Authority)}: is it running? (make run)"
                : $"request to {endpoint} failed: {ex.Message}";
            await log.WriteLineAsync($"cordon mcp: {reason}").ConfigureAwait(false);
            await AnswerWithErrorAsync(message, reason, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await log.WriteLineAsync($"cordon mcp: the answer from {endpoint} broke off: {ex.Message}").ConfigureAwait(false);
            await AnswerWithErrorAsync(message, "the connection to Cordon broke off: " + ex.Message, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ForwardBodyAsync(HttpResponseMessage response, IncomingMessage message, CancellationToken cancellationToken)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (string.Equals(mediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken).ConfigureAwait(false))
            {
                // Priming events (an id and empty data) only serve resumption.
                if (item.EventType == SseParser.EventTypeDefault && !string.IsNullOrWhiteSpace(item.Data))
                {
                    await WriteMessageAsync(item.Data, message, cancellationToken).ConfigureAwait(false);
                }
            }

            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrWhiteSpace(body))
        {
            await WriteMessageAsync(body, message, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ForwardErrorAsync(HttpResponseMessage response, IncomingMessage message, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound && _sessionId is not null && !message.IsInitialize)
        {
            // The server forgot the session: the client has to initialize again, and that must go without the old id.
            _sessionId = null;
            await log.WriteLineAsync("cordon mcp: the MCP session has expired on the server; the client must initialize again.").ConfigureAwait(false);
        }

        if (IncomingMessage.Parse(body) is { IsJsonRpc: true })
        {
            await WriteMessageAsync(body, message, cancellationToken).ConfigureAwait(false);
            return;
        }

        var reason = $"Cordon answered HTTP {status} {response.ReasonPhrase}";
        var detail = ErrorBody.Summarize(body);
        if (detail is not null)
        {
            reason += ": " + detail;
        }

        await log.WriteLineAsync($"cordon mcp: {reason}").ConfigureAwait(false);
        await AnswerWithErrorAsync(message, reason, cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteMessageAsync(string json, IncomingMessage request, CancellationToken cancellationToken)
    {
        var line = OneLine(json);
        if (request.IsInitialize && _protocolVersion is null)
        {
            _protocolVersion = IncomingMessage.NegotiatedProtocolVersion(line);
        }

        await WriteLineAsync(line, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A request must get an answer, or the client waits forever; notifications and responses get none.</summary>
    private Task AnswerWithErrorAsync(IncomingMessage message, string reason, CancellationToken cancellationToken)
    {
        if (!message.IsRequest)
        {
            return Task.CompletedTask;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", "2.0");
            writer.WritePropertyName("id");
            message.Id!.Value.WriteTo(writer);
            writer.WriteStartObject("error");
            writer.WriteNumber("code", -32603);
            writer.WriteString("message", reason);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return WriteLineAsync(Encoding.UTF8.GetString(buffer.ToArray()), cancellationToken);
    }

    /// <summary>
    /// Messages the server sends outside any request come on a GET stream; a server without one answers 405,
    /// which simply ends the listening.
    /// </summary>
    private void StartListening(CancellationToken cancellationToken)
    {
        if (_sessionId is null || Interlocked.Exchange(ref _listening, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, endpoint);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
                AddSessionHeaders(request);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode
                    || !string.Equals(response.Content.Headers.ContentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase))
                {
                    return;
                }

                var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (item.EventType == SseParser.EventTypeDefault && !string.IsNullOrWhiteSpace(item.Data))
                    {
                        await WriteLineAsync(OneLine(item.Data), cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
            {
                // Best effort: the POST streams still carry every answer.
            }
        }, CancellationToken.None);
    }

    private async Task EndSessionAsync()
    {
        if (_sessionId is null)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(ShutdownTimeout);
            using var request = new HttpRequestMessage(HttpMethod.Delete, endpoint);
            AddSessionHeaders(request);
            using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            // The server ends idle MCP sessions on its own.
        }
    }

    private void AddSessionHeaders(HttpRequestMessage request)
    {
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (_sessionId is { } id)
        {
            request.Headers.TryAddWithoutValidation(SessionHeader, id);
        }

        if (_protocolVersion is { } version)
        {
            request.Headers.TryAddWithoutValidation(ProtocolVersionHeader, version);
        }
    }

    private async Task WriteLineAsync(string line, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>The stdio transport forbids newlines inside a message: re-serialize pretty-printed JSON compactly.</summary>
    internal static string OneLine(string json)
    {
        json = json.Trim();
        if (!json.Contains('\n', StringComparison.Ordinal) && !json.Contains('\r', StringComparison.Ordinal))
        {
            return json;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                document.RootElement.WriteTo(writer);
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }
        catch (JsonException)
        {
            return json.ReplaceLineEndings(" ");
        }
    }

    private void Track(Task task)
    {
        lock (_inFlight)
        {
            _inFlight.RemoveAll(t => t.IsCompleted);
            _inFlight.Add(task);
        }
    }

    private Task[] Snapshot()
    {
        lock (_inFlight)
        {
            return [.. _inFlight];
        }
    }
}
