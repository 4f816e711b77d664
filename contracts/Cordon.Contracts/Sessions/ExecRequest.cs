namespace Cordon.Contracts.Sessions;

/// <summary>The body of <c>POST /v1/sessions/{id}/exec</c>: exactly one of <see cref="Command"/> or <see cref="Code"/>.</summary>
public sealed record ExecRequest
{
    /// <summary>A shell command, run by <c>/bin/sh -c</c> in <c>/workspace</c>.</summary>
    public string? Command { get; init; }

    /// <summary>Code in the session's language; interpreter state persists between calls.</summary>
    public string? Code { get; init; }

    /// <summary>Standard input, passed byte-exact.</summary>
    public string? Stdin { get; init; }

    /// <summary>Extra environment variables.</summary>
    public IReadOnlyDictionary<string, string>? Env { get; init; }

    /// <summary>Per-execution wall-clock timeout; default the session's <c>limits.timeoutMs</c>.</summary>
    public long? TimeoutMs { get; init; }

    /// <summary>True (default): answer when finished. False: answer 202 at once.</summary>
    public bool? Wait { get; init; }
}
