using Cordon.Contracts.Jobs;
using Cordon.Contracts.Runner.Mapping;
using Cordon.Contracts.Runner.V1;

namespace Cordon.ControlPlane.Tests.Jobs;

/// <summary>The one mapping from the runner's status to the public one, as a table of pairs.</summary>
public sealed class ExecStatusMappingTests
{
    public static TheoryData<ExecStatus, JobStatus> Pairs => new()
    {
        { ExecStatus.Unspecified, JobStatus.Error },
        { ExecStatus.Succeeded, JobStatus.Succeeded },
        { ExecStatus.Failed, JobStatus.Failed },
        { ExecStatus.CompileError, JobStatus.CompileError },
        { ExecStatus.Timeout, JobStatus.Timeout },
        { ExecStatus.MemoryLimit, JobStatus.MemoryLimit },
        { ExecStatus.OutputLimit, JobStatus.OutputLimit },
        { ExecStatus.Cancelled, JobStatus.Cancelled },
        { ExecStatus.Error, JobStatus.Error },
        { ExecStatus.Rejected, JobStatus.Rejected },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void ToJobStatus_EachRunnerStatus_ItsPublicStatus(ExecStatus status, JobStatus expected) =>
        Assert.Equal(expected, status.ToJobStatus());

    [Fact]
    public void Pairs_EveryRunnerStatus_HasARow()
    {
        // A status added to the proto must get its row here, not fall through to error unnoticed.
        var covered = Pairs.Select(row => (ExecStatus)row.Data.Item1).ToHashSet();
        Assert.Equal(Enum.GetValues<ExecStatus>().ToHashSet(), covered);
    }

    [Fact]
    public void ToJobStatus_UnknownValue_IsError() => Assert.Equal(JobStatus.Error, ((ExecStatus)999).ToJobStatus());
}
