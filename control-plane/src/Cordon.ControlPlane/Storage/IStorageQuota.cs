namespace Cordon.ControlPlane.Storage;

/// <summary>
/// How many bytes of output and artifacts a tenant may keep stored. A seam: configuration answers today
/// (<see cref="ConfiguredStorageQuota"/>); tenant policy documents can answer later without touching admission.
/// </summary>
internal interface IStorageQuota
{
    /// <summary>The tenant's quota in bytes, or null when it has none.</summary>
    long? LimitBytes(string tenant);
}
