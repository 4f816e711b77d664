namespace Cordon.TestSupport;

/// <summary>Reads server-sent event streams as the job event endpoint writes them.</summary>
public static class SseReader
{
    /// <summary>Every named event until the stream ends (events without an <c>event:</c> line are not Cordon's).</summary>
    public static async Task<List<SseEvent>> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        var events = new List<SseEvent>();
        using var reader = new StreamReader(stream);
        string? id = null, name = null, data = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (name is not null)
                {
                    events.Add(new SseEvent(id ?? "", name, data ?? ""));
                }

                id = name = data = null;
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = data is null ? line[6..] : data + "\n" + line[6..];
            }
        }

        return events;
    }

    /// <summary>
    /// <c>GET /v1/jobs/{id}/events</c> (resuming after <paramref name="lastEventId"/> when given) read to its end;
    /// throws unless the answer is a success with content type <c>text/event-stream</c>.
    /// </summary>
    public static async Task<List<SseEvent>> ReadJobEventsAsync(HttpClient client, string jobId, string? lastEventId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/v1/jobs/{jobId}/events", UriKind.Relative));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            throw new InvalidOperationException($"job events came as {response.Content.Headers.ContentType}, not text/event-stream");
        }

        return await ReadAllAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken);
    }
}
