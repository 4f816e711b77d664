using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Cordon.TestSupport.Packages;

/// <summary>Builds the files a registry serves for a <see cref="TestPackage"/>: a wheel (PEP 427), an sdist, an npm tarball.</summary>
public static class PackageArchives
{
    public static string WheelName(TestPackage package) => $"{package.Module}-{package.Version}-py3-none-any.whl";

    public static string SdistName(TestPackage package) => $"{package.Module}-{package.Version}.tar.gz";

    public static string TarballName(TestPackage package) => $"{package.Name.Split('/')[^1]}-{package.Version}.tgz";

    public static byte[] Wheel(TestPackage package)
    {
        var distInfo = $"{package.Module}-{package.Version}.dist-info";
        var metadata = new StringBuilder($"Metadata-Version: 2.1\nName: {package.Name}\nVersion: {package.Version}\n");
        foreach (var requirement in package.Requires)
        {
            metadata.Append("Requires-Dist: ").Append(requirement).Append('\n');
        }

        var files = new List<(string Path, byte[] Content)>
        {
            ($"{package.Module}/__init__.py", Encoding.UTF8.GetBytes(PythonModule(package))),
            ($"{distInfo}/METADATA", Encoding.UTF8.GetBytes(metadata.ToString())),
            ($"{distInfo}/WHEEL", Encoding.UTF8.GetBytes("Wheel-Version: 1.0\nGenerator: cordon-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n")),
        };
        var record = new StringBuilder();
        foreach (var (path, content) in files)
        {
            var hash = Convert.ToBase64String(SHA256.HashData(content)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            record.Append($"{path},sha256={hash},{content.Length}\n");
        }

        record.Append($"{distInfo}/RECORD,,\n");
        files.Add(($"{distInfo}/RECORD", Encoding.UTF8.GetBytes(record.ToString())));
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                using var entry = zip.CreateEntry(path).Open();
                entry.Write(content);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>A source distribution whose setup.py would write a marker if anything ever ran it.</summary>
    public static byte[] Sdist(TestPackage package)
    {
        var root = $"{package.Module}-{package.Version}";
        return TarGz(
            ($"{root}/setup.py", $"open('/tmp/sdist-code-ran', 'w').write('ran')\nfrom setuptools import setup\nsetup(name='{package.Name}', version='{package.Version}', packages=['{package.Module}'])\n"),
            ($"{root}/{package.Module}/__init__.py", PythonModule(package)),
            ($"{root}/PKG-INFO", $"Metadata-Version: 2.1\nName: {package.Name}\nVersion: {package.Version}\n"));
    }

    public static byte[] Tarball(TestPackage package)
    {
        var dependencies = package.Requires.ToDictionary(r => r[..r.LastIndexOf('@')], r => r[(r.LastIndexOf('@') + 1)..]);
        var manifest = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["name"] = package.Name,
            ["version"] = package.Version,
            ["main"] = "index.js",
            ["dependencies"] = dependencies,
        });
        var requires = string.Concat(dependencies.Keys.Select(d => $"require('{d}');\n"));
        return TarGz(
            ("package/package.json", manifest),
            ("package/index.js", $"{requires}exports.hello = () => '{package.Greeting}';\n"));
    }

    private static string PythonModule(TestPackage package)
    {
        var imports = string.Concat(package.Requires.Select(r => $"import {Name(r).Replace('-', '_')}\n"));
        return $"{imports}def hello():\n    return '{package.Greeting}'\n";
    }

    private static string Name(string requirement) => new([.. requirement.TakeWhile(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')]);

    private static byte[] TarGz(params (string Path, string Content)[] files)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, path)
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                };
                tar.WriteEntry(entry);
            }
        }

        return buffer.ToArray();
    }
}
