using System.Collections.Concurrent;
using Cordon.Runner.Native;

namespace Cordon.Runner.UnitTests.Sandboxes;

/// <summary>Host mounts without privilege: the directory stays a plain directory, each mount and unmount is recorded.</summary>
internal sealed class RecordingHostMounts : IHostMounts
{
    public ConcurrentDictionary<string, string> Mounted { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> Unmounted { get; } = new();

    public void MountTmpfs(string target, string options) => Mounted[target] = Directory.Exists(target) ? options : throw new DirectoryNotFoundException(target);

    public void Unmount(string target)
    {
        Unmounted.Enqueue(target);
        Mounted.TryRemove(target, out _);
    }
}
