using Cordon.Contracts.Jobs;
using Cordon.ControlPlane.Jobs;
using Cordon.ControlPlane.Requests;

namespace Cordon.ControlPlane.Tests.Jobs;

public sealed class JobTransitionsTests
{
    [Theory]
    [InlineData(JobStatus.Queued, JobStatus.Running, true)]
    [InlineData(JobStatus.Queued, JobStatus.Cancelled, true)]
    [InlineData(JobStatus.Running, JobStatus.Succeeded, true)]
    [InlineData(JobStatus.Running, JobStatus.Queued, false)]
    [InlineData(JobStatus.Running, JobStatus.Running, false)]
    [InlineData(JobStatus.Succeeded, JobStatus.Cancelled, false)]
    [InlineData(JobStatus.Cancelled, JobStatus.Error, false)]
    public void CanMove_OnlyForward(JobStatus from, JobStatus to, bool expected) => Assert.Equal(expected, JobTransitions.CanMove(from, to));

    [Theory]
    [InlineData("main.py", true)]
    [InlineData("src/a/b.c", true)]
    [InlineData("out/*.png", true)]
    [InlineData("../x", false)]
    [InlineData("a/../../x", false)]
    [InlineData("/etc/passwd", false)]
    [InlineData("C:/x", false)]
    [InlineData("a\\b", false)]
    [InlineData("a//b", false)]
    [InlineData("./a", false)]
    [InlineData("", false)]
    public void WorkspacePaths_IsValid(string path, bool expected) => Assert.Equal(expected, WorkspacePaths.IsValid(path));

    [Fact]
    public void Cursors_RoundTrip_AndRejectForeign()
    {
        Assert.True(Cursors.TryDecode(Cursors.Encode("job_1"), out var id));
        Assert.Equal("job_1", id);
        Assert.False(Cursors.TryDecode("job_1", out _));
    }
}
