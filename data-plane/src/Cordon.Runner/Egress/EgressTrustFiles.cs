namespace Cordon.Runner.Egress;

/// <summary>
/// What a sandbox with egress trusts, as files in one host directory bound read-only at <see cref="DirectoryInSandbox"/>
/// (the root filesystem has no <c>/etc/ssl</c> of its own): <see cref="BundleName"/>, the host's system CA bundle
/// with the runner's egress CA after it — at the path Debian's OpenSSL, curl and Python look by default — and
/// <see cref="CaName"/>, the egress CA alone (for Node's <c>NODE_EXTRA_CA_CERTS</c>, which adds to Node's own roots).
/// Certificates only: public, so the files are world-readable.
/// </summary>
internal sealed class EgressTrustFiles
{
    public const string DirectoryInSandbox = "/etc/ssl/certs";

    public const string BundleName = "ca-certificates.crt";

    public const string CaName = "cordon-egress-ca.crt";

    public const string BundleInSandbox = DirectoryInSandbox + "/" + BundleName;

    public const string CaInSandbox = DirectoryInSandbox + "/" + CaName;

    private const string SystemBundle = "/etc/ssl/certs/ca-certificates.crt";
    private static readonly UnixFileMode PublicFile = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private readonly Lock _lock = new();
    private readonly string _directory;
    private readonly EgressCertificateAuthority _authority;
    private bool _written;

    public EgressTrustFiles(string directory, EgressCertificateAuthority authority)
    {
        _directory = directory;
        _authority = authority;
    }

    /// <summary>The trust variables every program of a sandbox with egress gets.</summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["SSL_CERT_FILE"] = BundleInSandbox,
        ["REQUESTS_CA_BUNDLE"] = BundleInSandbox,
        ["CURL_CA_BUNDLE"] = BundleInSandbox,
        ["NODE_EXTRA_CA_CERTS"] = CaInSandbox,
    };

    /// <summary>Writes the files once per runner (this run's CA), and answers their directory.</summary>
    public string Ensure()
    {
        lock (_lock)
        {
            if (!_written)
            {
                Directory.CreateDirectory(_directory, Sandboxes.HostFileModes.Shared);
                File.SetUnixFileMode(_directory, Sandboxes.HostFileModes.Shared);
                var system = File.Exists(SystemBundle) ? File.ReadAllText(SystemBundle).TrimEnd() + "\n" : "";
                Write(CaName, _authority.CertificatePem + "\n");
                Write(BundleName, system + "# Cordon runner egress CA (proxy secrets)\n" + _authority.CertificatePem + "\n");
                _written = true;
            }

            return _directory;
        }
    }

    private void Write(string name, string text)
    {
        // Replaced by rename: a sandbox still reading the previous run's file never sees half of this one.
        var path = Path.Combine(_directory, name);
        var staging = path + ".new";
        File.Delete(staging);
        using (var file = new FileStream(staging, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = PublicFile }))
        {
            file.Write(System.Text.Encoding.ASCII.GetBytes(text));
        }

        File.Move(staging, path, overwrite: true);
    }
}
