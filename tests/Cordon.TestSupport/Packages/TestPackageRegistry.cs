using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Cordon.TestSupport.Packages;

/// <summary>
/// A package registry the test starts on loopback, for python and npm at once: a PEP 503 simple index at
/// <see cref="PythonIndexUrl"/> (wheels, and sdists for source-only packages) and an npm registry at
/// <see cref="NpmRegistryUrl"/> (package documents and tarballs), serving <see cref="TestPackage"/>s built in memory.
/// Every request path is kept (<see cref="Requests"/>), so a test can show what was never fetched.
/// </summary>
public sealed class TestPackageRegistry : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<TestPackage> _python;
    private readonly IReadOnlyList<TestPackage> _npm;
    private readonly Task _serving;

    public TestPackageRegistry(IReadOnlyList<TestPackage> python, IReadOnlyList<TestPackage> npm)
    {
        _python = python;
        _npm = npm;
        Port = FreePort.Next();
        Url = $"http://127.0.0.1:{Port}/";
        foreach (var package in python)
        {
            if (package.SourceOnly)
            {
                _files["/files/" + PackageArchives.SdistName(package)] = PackageArchives.Sdist(package);
            }
            else
            {
                _files["/files/" + PackageArchives.WheelName(package)] = PackageArchives.Wheel(package);
            }
        }

        foreach (var package in npm)
        {
            _files[TarballPath(package)] = PackageArchives.Tarball(package);
        }

        _listener.Prefixes.Add(Url);
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>
    /// The registry the dependency tests share: <c>cordon-greet</c> (python 1.0.0 and 2.0.0; npm 1.0.0, 1.2.0 and
    /// 2.0.0) needing <c>cordon-util</c> 1.0.0; <c>cordon-needs-evil</c> needing <c>cordon-evil</c> (never meant to be
    /// allowlisted); <c>cordon-sdist-only</c> (python, no wheel: its setup.py would write <c>/tmp/sdist-code-ran</c>).
    /// </summary>
    public static TestPackageRegistry WithTestPackages() => new(
        [
            TestPackage.Of("cordon-util", "1.0.0"),
            TestPackage.Of("cordon-greet", "1.0.0", "cordon-util>=1"),
            TestPackage.Of("cordon-greet", "2.0.0", "cordon-util>=1"),
            TestPackage.Of("cordon-evil", "1.0.0"),
            TestPackage.Of("cordon-needs-evil", "1.0.0", "cordon-evil"),
            new TestPackage("cordon-sdist-only", "1.0.0", [], SourceOnly: true),
        ],
        [
            TestPackage.Of("cordon-util", "1.0.0"),
            TestPackage.Of("cordon-greet", "1.0.0", "cordon-util@^1"),
            TestPackage.Of("cordon-greet", "1.2.0", "cordon-util@^1"),
            TestPackage.Of("cordon-greet", "2.0.0", "cordon-util@^1"),
            TestPackage.Of("cordon-evil", "1.0.0"),
            TestPackage.Of("cordon-needs-evil", "1.0.0", "cordon-evil@^1"),
        ]);

    public int Port { get; }

    public string Url { get; }

    public string PythonIndexUrl => Url + "simple/";

    public string NpmRegistryUrl => Url + "npm/";

    /// <summary>Every path asked for, in order (raw, as sent).</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public bool WasAskedFor(string fragment, int since = 0) => Requests.Skip(since).Any(r => r.Contains(fragment, StringComparison.OrdinalIgnoreCase));

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _serving;
        }
        catch (HttpListenerException)
        {
            // Stopped while waiting for a request.
        }
    }

    private static string TarballPath(TestPackage package) => $"/npm-files/{package.Name}/-/{PackageArchives.TarballName(package)}";

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => Answer(context));
        }
    }

    private void Answer(HttpListenerContext context)
    {
        var raw = context.Request.RawUrl ?? "/";
        Requests.Enqueue(raw);
        var path = Uri.UnescapeDataString(raw.Split('?')[0]);
        var response = context.Response;
        try
        {
            var (status, type, body) = Route(path);
            response.StatusCode = status;
            response.ContentType = type;
            response.ContentLength64 = body.Length;
            response.OutputStream.Write(body);
        }
        finally
        {
            response.Close();
        }
    }

    private (int Status, string Type, byte[] Body) Route(string path)
    {
        if (_files.TryGetValue(path, out var file))
        {
            return (200, "application/octet-stream", file);
        }

        if (path.StartsWith("/simple/", StringComparison.Ordinal))
        {
            var project = path["/simple/".Length..].TrimEnd('/');
            var releases = _python.Where(p => p.Name == project).ToList();
            return releases.Count == 0 ? NotFound() : (200, "text/html", Encoding.UTF8.GetBytes(SimplePage(releases)));
        }

        if (path.StartsWith("/npm/", StringComparison.Ordinal))
        {
            var name = path["/npm/".Length..];
            var releases = _npm.Where(p => p.Name == name).ToList();
            return releases.Count == 0 ? NotFound() : (200, "application/json", Encoding.UTF8.GetBytes(Packument(name, releases)));
        }

        return NotFound();
    }

    private static (int, string, byte[]) NotFound() => (404, "text/plain", "not found\n"u8.ToArray());

    private string SimplePage(List<TestPackage> releases)
    {
        var page = new StringBuilder("<!DOCTYPE html><html><body>\n");
        foreach (var release in releases)
        {
            var name = release.SourceOnly ? PackageArchives.SdistName(release) : PackageArchives.WheelName(release);
            var sha = Convert.ToHexStringLower(SHA256.HashData(_files["/files/" + name]));
            page.Append($"<a href=\"../../files/{name}#sha256={sha}\" data-requires-python=\"&gt;=3.8\">{name}</a><br>\n");
        }

        return page.Append("</body></html>\n").ToString();
    }

    private string Packument(string name, List<TestPackage> releases)
    {
        var versions = new JsonObject();
        foreach (var release in releases)
        {
            var tarball = _files[TarballPath(release)];
            var dependencies = new JsonObject();
            foreach (var requirement in release.Requires)
            {
                var at = requirement.LastIndexOf('@');
                dependencies[requirement[..at]] = requirement[(at + 1)..];
            }

            versions[release.Version] = new JsonObject
            {
                ["name"] = name,
                ["version"] = release.Version,
                ["dependencies"] = dependencies,
                ["dist"] = new JsonObject
                {
                    ["tarball"] = Url.TrimEnd('/') + TarballPath(release),
                    ["shasum"] = Convert.ToHexStringLower(SHA1.HashData(tarball)),
                    ["integrity"] = "sha512-" + Convert.ToBase64String(SHA512.HashData(tarball)),
                },
            };
        }

        return new JsonObject
        {
            ["name"] = name,
            ["dist-tags"] = new JsonObject { ["latest"] = releases[^1].Version },
            ["versions"] = versions,
        }.ToJsonString();
    }
}
