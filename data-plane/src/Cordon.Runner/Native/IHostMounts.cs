namespace Cordon.Runner.Native;

/// <summary>The host mounts the sandbox manager makes; a seam so the manager is testable without privilege.</summary>
internal interface IHostMounts
{
    void MountTmpfs(string target, string options);

    /// <summary>Lazily unmounts; a path that is not a mount point is fine.</summary>
    void Unmount(string target);
}
