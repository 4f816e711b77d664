using System.Net;
using System.Text.Json;
using Cordon.Contracts.Jobs;
using Cordon.ControlPlane.Tests.Infrastructure;

namespace Cordon.ControlPlane.Tests.Jobs;

/// <summary>
/// What a runner relays from a sandbox (an agent's error, a signal name) is outside text: it is capped and its
/// control characters escaped before the job stores it, so neither the API, the event stream nor a log shows it raw.
/// </summary>
public sealed class RunnerTextTests : ApiTestBase
{
    [Fact]
    public async Task Job_RunnerErrorWithControlCharacters_StoredSanitised()
    {
        var job = await RunAsync(@"error agent failed\n\tat step 2\r\x1b[2J\x07\u2028[fake] line\0end");

        Assert.Equal(JobStatus.Error, job.Status);
        Assert.Equal("agent failed\n\tat step 2\\r\\u001b[2J\\u0007\\u2028[fake] line\\u0000end", job.Error);
    }

    [Fact]
    public async Task Job_OversizedRunnerError_CappedAt1KiB()
    {
        var job = await RunAsync("error " + new string('e', 100_000));

        Assert.StartsWith(new string('e', 1024) + "…[", job.Error, StringComparison.Ordinal);
        Assert.True(job.Error!.Length < 1100, $"error is {job.Error.Length} chars");
    }

    [Fact]
    public async Task Job_RunnerSignalName_CappedAndEscaped()
    {
        var job = await RunAsync(@"signal SIGKILL\n[fake] " + new string('s', 200));

        Assert.StartsWith("SIGKILL\\n[fake] ", job.Signal, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', job.Signal!);
        Assert.True(job.Signal!.Length < 60, job.Signal);
    }

    [Fact]
    public async Task Job_RunnerError_EventStreamCarriesTheSanitisedText()
    {
        var job = await RunAsync(@"error bad\x1b]0;title\x07");
        var client = Factory.ClientFor();

        var events = await client.GetStringAsync($"/v1/jobs/{job.Id}/events", Ct);

        Assert.DoesNotContain('\u001b', events);
        Assert.Contains(JsonSerializer.Serialize("bad\\u001b]0;title\\u0007")[1..^1], events, StringComparison.Ordinal);
    }

    private async Task<Job> RunAsync(string script)
    {
        var response = await Factory.ClientFor().PostAsync("/v1/jobs", Http.Json(JsonSerializer.Serialize(new { language = "python", code = script })), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadAsync<Job>();
    }
}
