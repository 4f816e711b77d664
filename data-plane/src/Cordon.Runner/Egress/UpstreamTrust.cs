using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Cordon.Runner.Egress;

/// <summary>
/// How the proxy verifies the real host when it terminates TLS for a proxy secret: the system's trust, and besides it
/// the CAs of <see cref="EgressOptions.UpstreamCaFile"/> (an internal CA, a test's). The name must match either way:
/// only a chain error is given a second look, against the extra CAs alone.
/// </summary>
internal sealed class UpstreamTrust
{
    private readonly X509Certificate2Collection _extra = [];

    public UpstreamTrust(string? caFile)
    {
        if (!string.IsNullOrEmpty(caFile))
        {
            _extra.ImportFromPemFile(caFile);
        }
    }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || _extra.Count == 0 || certificate is null)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_extra);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            // The intermediates the host sent.
            foreach (var element in chain.ChainElements.Skip(1))
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (certificate is X509Certificate2 leaf)
        {
            return custom.Build(leaf);
        }

        using var loaded = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(loaded);
    }
}
