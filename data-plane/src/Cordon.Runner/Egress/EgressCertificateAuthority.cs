using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cordon.Runner.Egress;

/// <summary>
/// This runner's CA for the hosts of proxy secrets: made when the runner starts, held in memory only (its key is
/// never written anywhere), trusted inside the sandboxes through <see cref="EgressTrustFiles"/>. It signs one leaf
/// certificate per host, cached until shortly before it expires; a new runner is a new CA, so nothing a sandbox
/// ever saw outlives the runner.
/// </summary>
internal sealed class EgressCertificateAuthority : IDisposable
{
    private static readonly TimeSpan LeafLifetime = TimeSpan.FromDays(7);
    private static readonly TimeSpan Backdate = TimeSpan.FromMinutes(5);
    private readonly TimeProvider _time;
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _certificate;
    private readonly ConcurrentDictionary<string, Lazy<Leaf>> _leaves = new(StringComparer.Ordinal);

    public EgressCertificateAuthority(TimeProvider time)
    {
        _time = time;
        var now = time.GetUtcNow();
        var request = new CertificateRequest($"CN=Cordon runner egress CA {Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}", _key, HashAlgorithmName.SHA256);
        // pathLen 0: it signs leaves only. No CRL or OCSP: a leaf lives a week at most, the CA as long as the runner.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _certificate = request.CreateSelfSigned(now - Backdate, now.AddYears(5));
        CertificatePem = _certificate.ExportCertificatePem();
    }

    /// <summary>The CA's certificate (public), what sandboxes trust.</summary>
    public string CertificatePem { get; }

    /// <summary>The certificate (and chain) the proxy presents to a sandbox for <paramref name="host"/>.</summary>
    public SslStreamCertificateContext ContextFor(NormalizedHost host)
    {
        var key = host.ToString();
        while (true)
        {
            var leaf = _leaves.GetOrAdd(key, k => new Lazy<Leaf>(() => Issue(host)));
            if (leaf.Value.Renew > _time.GetUtcNow())
            {
                return leaf.Value.Context;
            }

            _leaves.TryRemove(new KeyValuePair<string, Lazy<Leaf>>(key, leaf));
        }
    }

    public void Dispose()
    {
        _certificate.Dispose();
        _key.Dispose();
    }

    private Leaf Issue(NormalizedHost host)
    {
        var now = _time.GetUtcNow();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={(host.Address is null ? host.Name : host.Address.ToString())}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        if (host.Address is IPAddress address)
        {
            san.AddIpAddress(address);
        }
        else
        {
            san.AddDnsName(host.Name!);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_certificate, true, false));
        using var signed = request.Create(_certificate, now - Backdate, now + LeafLifetime, RandomNumberGenerator.GetBytes(16));
        var leaf = signed.CopyWithPrivateKey(key);
        var context = SslStreamCertificateContext.Create(leaf, [_certificate], offline: true);
        return new Leaf(context, now + LeafLifetime - TimeSpan.FromDays(1));
    }

    private sealed record Leaf(SslStreamCertificateContext Context, DateTimeOffset Renew);
}
