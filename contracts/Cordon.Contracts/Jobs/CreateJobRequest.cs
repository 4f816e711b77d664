using Cordon.Contracts.Secrets;

namespace Cordon.Contracts.Jobs;

/// <summary>The body of <c>POST /v1/jobs</c>.</summary>
public sealed record CreateJobRequest
{
    /// <summary>A language or alias from <c>/v1/runtimes</c>.</summary>
    public required string Language { get; init; }

    /// <summary>Source code, written to the runtime's file name. Either this or <see cref="Files"/>.</summary>
    public string? Code { get; init; }

    /// <summary>Files written to <c>/workspace</c>. Either this or <see cref="Code"/>.</summary>
    public IReadOnlyList<JobFile>? Files { get; init; }

    /// <summary>The file to run when <see cref="Files"/> are given; default: the runtime's file name.</summary>
    public string? Entrypoint { get; init; }

    /// <summary>Command-line arguments passed unchanged.</summary>
    public IReadOnlyList<string>? Args { get; init; }

    /// <summary>Standard input, passed byte-exact.</summary>
    public string? Stdin { get; init; }

    /// <summary>Environment variables passed unchanged.</summary>
    public IReadOnlyDictionary<string, string>? Env { get; init; }

    /// <summary>Tenant secrets to inject: names (environment variables) or <see cref="SecretRequest"/> objects (files too; or mode proxy with hosts: the value never enters the sandbox).</summary>
    public IReadOnlyList<SecretRequest>? Secrets { get; init; }

    /// <summary>Packages to install, checked against the tenant's allowlist.</summary>
    public IReadOnlyList<string>? Dependencies { get; init; }

    /// <summary>Network access; default none.</summary>
    public NetworkRequest? Network { get; init; }

    /// <summary>Resource limits; the runtime's defaults fill the gaps.</summary>
    public ResourceLimits? Limits { get; init; }

    /// <summary>Workspace globs collected after the run.</summary>
    public IReadOnlyList<string>? Artifacts { get; init; }

    /// <summary>True (default): answer when finished with 200. False: answer 202 at once.</summary>
    public bool? Wait { get; init; }
}
