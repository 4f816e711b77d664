namespace Cordon.ControlPlane.DataProtection;

/// <summary>
/// One job's data key while it runs: made at dispatch when the job collects artifacts (the runner needs it up front),
/// or when artifacts arrive without one (a runner that collected them unasked), so a job without artifacts costs no
/// key row.
/// </summary>
internal sealed class JobDataKey(DataKeys keys, string tenant, string jobId)
{
    public byte[]? Current { get; private set; }

    public async Task<byte[]> GetAsync(CancellationToken cancellationToken) =>
        Current ??= await keys.GetOrCreateAsync(tenant, jobId, DataKeyScopes.Job, cancellationToken);
}
