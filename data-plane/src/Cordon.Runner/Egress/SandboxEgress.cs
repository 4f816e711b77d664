using Cordon.Runner.Execution;

namespace Cordon.Runner.Egress;

/// <summary>
/// How a sandbox with egress is wired to its proxy: the proxy's Unix socket sits in a directory of the sandbox's
/// host-side state, bind-mounted at <see cref="DirectoryInSandbox"/>; cordon-init serves it inside as
/// <see cref="ProxyUrl"/>, which every program finds in the usual proxy variables. The network namespace keeps only
/// <c>lo</c>: the proxy is the only way out.
/// </summary>
internal static class SandboxEgress
{
    public const string DirectoryInSandbox = "/run/cordon-egress";

    public const string SocketName = "proxy.sock";

    public const string SocketInSandbox = DirectoryInSandbox + "/" + SocketName;

    public const int PortInSandbox = 3128;

    public static readonly string ProxyUrl = $"http://127.0.0.1:{PortInSandbox}";

    /// <summary>Both spellings: curl reads the lower-case ones (and ignores upper-case HTTP_PROXY), most others either.</summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["HTTP_PROXY"] = ProxyUrl,
        ["HTTPS_PROXY"] = ProxyUrl,
        ["http_proxy"] = ProxyUrl,
        ["https_proxy"] = ProxyUrl,
        ["NO_PROXY"] = "localhost,127.0.0.1",
        ["no_proxy"] = "localhost,127.0.0.1",
    };

    /// <summary>The control plane's allowlist, parsed; a malformed entry refuses the sandbox (InvalidArgument).</summary>
    public static IReadOnlyList<EgressRule> ParseAllowlist(IReadOnlyList<string> entries)
    {
        var rules = new List<EgressRule>(entries.Count);
        foreach (var entry in entries)
        {
            if (!EgressRule.TryParse(entry, out var rule, out var problem))
            {
                throw new BadExecRequestException($"egress entry '{entry}': {problem}");
            }

            rules.Add(rule!);
        }

        return rules;
    }

    /// <summary>The sandbox's environment with the proxy variables (the request's own values of them give way).</summary>
    public static IReadOnlyDictionary<string, string> WithProxy(IReadOnlyDictionary<string, string> env, IReadOnlyDictionary<string, string>? variables = null)
    {
        var merged = new Dictionary<string, string>(env, StringComparer.Ordinal);
        foreach (var (name, value) in variables ?? Environment)
        {
            merged[name] = value;
        }

        return merged;
    }
}
