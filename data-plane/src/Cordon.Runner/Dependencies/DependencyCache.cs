using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Cordon.Runner.Native;

namespace Cordon.Runner.Dependencies;

/// <summary>
/// Installed sets kept on the runner's disk, read-only, one directory per key (runtime, registry, the requested
/// packages and the allowlist they were resolved under — a stricter tenant never gets a set resolved under a looser
/// allowlist). An entry older than the configured age is installed afresh; one still mounted in a sandbox stays
/// until its last lease ends. Installs of one key run one at a time, so concurrent jobs wait for the first.
/// </summary>
internal sealed class DependencyCache
{
    private const string Marker = ".cordon-installed";
    private readonly string _directory;
    private readonly TimeSpan _maxAge;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _installing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _leases = new(StringComparer.Ordinal);
    private readonly HashSet<string> _retired = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public DependencyCache(string directory, TimeSpan maxAge, TimeProvider time)
    {
        _directory = directory;
        _maxAge = maxAge;
        _time = time;
    }

    public string Staging => Path.Combine(_directory, ".staging");

    private string Retired => Path.Combine(_directory, ".retired");

    /// <summary>Removes what an earlier run left half-made or retired; at start-up, before any sandbox exists.</summary>
    public void Clean()
    {
        Directory.CreateDirectory(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        foreach (var leftover in new[] { Staging, Retired }.Where(Directory.Exists))
        {
            Directory.Delete(leftover, recursive: true);
        }
    }

    public static string Key(string ecosystem, string registry, IEnumerable<string> requested, IEnumerable<string> rules)
    {
        var text = new StringBuilder().Append(ecosystem).Append('\n').Append(registry).Append('\n');
        foreach (var spec in requested.Order(StringComparer.Ordinal))
        {
            text.Append("req ").Append(spec).Append('\n');
        }

        foreach (var rule in rules.Order(StringComparer.Ordinal))
        {
            text.Append("rule ").Append(rule).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Held while <paramref name="key"/> is looked up, installed and kept: one installer per key.</summary>
    public async Task<IDisposable> LockAsync(string key, CancellationToken cancellationToken)
    {
        var gate = _installing.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Release(() => gate.Release());
    }

    /// <summary>A lease on the kept set for <paramref name="key"/>, or null when there is none young enough.</summary>
    public DependencyLease? TryLease(string key)
    {
        var path = Path.Combine(_directory, key);
        var marker = Path.Combine(path, Marker);
        if (!File.Exists(marker))
        {
            return null;
        }

        if (_time.GetUtcNow() - File.GetLastWriteTimeUtc(marker) > _maxAge)
        {
            RetireLocked(path);
            return null;
        }

        return LeaseOf(path, File.ReadAllText(marker));
    }

    /// <summary>A directory the installing sandbox's uid may write, to become an entry.</summary>
    public string NewStagingDirectory()
    {
        Directory.CreateDirectory(Staging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute);
        var staging = Path.Combine(Staging, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        // Written by the sandbox's uid (mapped, unprivileged); only that sandbox binds it.
        Directory.CreateDirectory(staging);
        File.SetUnixFileMode(staging, (UnixFileMode)Convert.ToInt32("777", 8)); // not the umask's 0755
        return staging;
    }

    /// <summary>Makes <paramref name="staging"/> the entry for <paramref name="key"/>: the runner's, read-only, and leased.</summary>
    public DependencyLease Keep(string staging, string key, string summary)
    {
        SealReadOnly(staging);
        File.WriteAllText(Path.Combine(staging, Marker), summary);
        var path = Path.Combine(_directory, key);
        lock (_lock)
        {
            if (Directory.Exists(path))
            {
                RetireLocked(path);
            }

            Directory.Move(staging, path);
        }

        return LeaseOf(path, summary);
    }

    public static void Discard(string staging)
    {
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    private DependencyLease LeaseOf(string path, string summary)
    {
        lock (_lock)
        {
            _leases[path] = _leases.GetValueOrDefault(path) + 1;
        }

        return new DependencyLease(path, summary, () => Return(path));
    }

    private void Return(string path)
    {
        lock (_lock)
        {
            var left = _leases[path] - 1;
            if (left > 0)
            {
                _leases[path] = left;
                return;
            }

            _leases.Remove(path);
            if (_retired.Remove(path) && Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
    }

    /// <summary>Moves an entry out of the way; deleted now, or when its last lease ends (a mounted sandbox keeps it whole).</summary>
    private void RetireLocked(string path)
    {
        lock (_lock)
        {
            Directory.CreateDirectory(Retired);
            var retired = Path.Combine(Retired, Path.GetFileName(path) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
            Directory.Move(path, retired);
            if (_leases.Remove(path, out var count))
            {
                _leases[retired] = count;
                _retired.Add(retired);
            }
            else
            {
                Directory.Delete(retired, recursive: true);
            }
        }
    }

    private static void SealReadOnly(string root)
    {
        var readOnlyFile = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        var readOnlyDirectory = readOnlyFile | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, ReturnSpecialDirectories = false }))
        {
            FileOwnership.Change(entry.FullName, 0, 0);
            if (entry.LinkTarget is not null)
            {
                continue; // a link's own mode means nothing
            }

            var executable = (entry.UnixFileMode & UnixFileMode.UserExecute) != 0;
            entry.UnixFileMode = entry is DirectoryInfo ? readOnlyDirectory : executable ? readOnlyDirectory : readOnlyFile;
        }

        FileOwnership.Change(root, 0, 0);
        File.SetUnixFileMode(root, readOnlyDirectory);
    }

    private sealed class Release(Action release) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                release();
            }
        }
    }
}
