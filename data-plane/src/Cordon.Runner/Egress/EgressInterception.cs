namespace Cordon.Runner.Egress;

/// <summary>What a sandbox's proxy needs to put its proxy secrets in place: the secrets, the runner's CA, the upstream trust.</summary>
internal sealed record EgressInterception(ProxySecrets Secrets, EgressCertificateAuthority Authority, UpstreamTrust Trust);
