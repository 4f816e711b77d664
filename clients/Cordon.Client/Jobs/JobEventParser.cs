using System.Net.ServerSentEvents;
using System.Text.Json;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Json;

namespace Cordon.Client.Jobs;

/// <summary>
/// Turns the server-sent events of a job into typed events. Framing (chunk boundaries, multi-line <c>data</c>,
/// <c>id</c> and <c>retry</c> fields, comments) is the BCL's <see cref="SseParser"/>; unknown event types are
/// skipped so the server can add new ones.
/// </summary>
internal static class JobEventParser
{
    public static SseParser<JobStreamEvent?> Create(Stream stream) => SseParser.Create(stream, ParseItem);

    public static async IAsyncEnumerable<JobStreamEvent> ReadAsync(
        Stream stream,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var parser = Create(stream);
        await foreach (var item in parser.EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            if (item.Data is { } parsed)
            {
                // Per the SSE spec the last event id persists until an event sets another.
                yield return parsed with { EventId = parser.LastEventId is { Length: > 0 } id ? id : null };
            }
        }
    }

    private static JobStreamEvent? ParseItem(string eventType, ReadOnlySpan<byte> data) => eventType switch
    {
        JobEventTypes.Stdout => Output(JobOutputStream.Stdout, data),
        JobEventTypes.Stderr => Output(JobOutputStream.Stderr, data),
        JobEventTypes.Status => new JobStatusChange { Status = Deserialize(data, CordonJsonContext.Default.JobStatusEvent).Status },
        JobEventTypes.Result => new JobResultEvent { Job = Deserialize(data, CordonJsonContext.Default.Job) },
        _ => null,
    };

    private static JobOutputChunk Output(JobOutputStream stream, ReadOnlySpan<byte> data) =>
        new() { Stream = stream, Text = Deserialize(data, CordonJsonContext.Default.JobOutputEvent).Data };

    private static T Deserialize<T>(ReadOnlySpan<byte> data, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Deserialize(data, typeInfo) ?? throw new JsonException($"The event's data is null, expected {typeof(T).Name}.");
}
