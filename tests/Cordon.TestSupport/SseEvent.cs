namespace Cordon.TestSupport;

/// <summary>One server-sent event: its id (empty when it had none), event name and data lines joined by newlines.</summary>
public sealed record SseEvent(string Id, string Event, string Data);
