namespace Cordon.Contracts.Jobs;

/// <summary>
/// The <c>event</c> names of the server-sent events of <c>GET /v1/jobs/{id}/events</c>. Every event carries an
/// <c>id</c>; a client reconnecting with <c>Last-Event-ID</c> receives the events after it.
/// </summary>
public static class JobEventTypes
{
    /// <summary>A chunk of standard output; data is a <see cref="JobOutputEvent"/>.</summary>
    public const string Stdout = "stdout";

    /// <summary>A chunk of standard error; data is a <see cref="JobOutputEvent"/>.</summary>
    public const string Stderr = "stderr";

    /// <summary>A status change; data is a <see cref="JobStatusEvent"/>.</summary>
    public const string Status = "status";

    /// <summary>The last event of the stream; data is the finished <see cref="Job"/>.</summary>
    public const string Result = "result";
}
