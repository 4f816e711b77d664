namespace Cordon.Runner.Native;

/// <summary>The real mounts, through <see cref="HostMounts"/> (mount(2), umount2(2)).</summary>
internal sealed class KernelHostMounts : IHostMounts
{
    public void MountTmpfs(string target, string options) => HostMounts.MountTmpfs(target, options);

    public void Unmount(string target) => HostMounts.Unmount(target);
}
