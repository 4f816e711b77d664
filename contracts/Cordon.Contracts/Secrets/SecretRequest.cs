using System.Text.Json.Serialization;

namespace Cordon.Contracts.Secrets;

/// <summary>
/// One secret a job or session asks for, by name: <c>"API_TOKEN"</c> (an environment variable) or
/// <c>{ "name": "API_TOKEN", "file": true, "env": false }</c> (also, or only, the file <c>/run/secrets/API_TOKEN</c>).
/// <c>{ "name": "API_TOKEN", "mode": "proxy", "hosts": ["api.example.com:443"] }</c> asks for a secret that never
/// enters the sandbox: <c>API_TOKEN</c> holds a random placeholder, which the runner's egress proxy replaces with the
/// value in the request headers of connections to the listed hosts only.
/// </summary>
[JsonConverter(typeof(SecretRequestJsonConverter))]
public sealed record SecretRequest
{
    public const string EnvMode = "env";

    public const string ProxyMode = "proxy";

    public required string Name { get; init; }

    /// <summary>As the environment variable <see cref="Name"/>; default true.</summary>
    public bool? Env { get; init; }

    /// <summary>As the file <c>/run/secrets/NAME</c> (tmpfs, 0400, the job's); default false.</summary>
    public bool? File { get; init; }

    /// <summary><c>env</c> (default: the value enters the sandbox as asked) or <c>proxy</c>.</summary>
    public string? Mode { get; init; }

    /// <summary>With <c>proxy</c>: the <c>host:port</c> destinations whose request headers get the value (required).</summary>
    public IReadOnlyList<string>? Hosts { get; init; }

    /// <summary>The short form, a bare name, is an environment variable only.</summary>
    public bool IsShortForm => Env is null or true && File is null or false && Mode is null && Hosts is null;

    /// <summary>The short form: the environment variable <paramref name="name"/>.</summary>
    public static SecretRequest Named(string name) => new() { Name = name };
}
