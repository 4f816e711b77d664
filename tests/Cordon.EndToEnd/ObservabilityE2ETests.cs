using System.Net;
using System.Text.Json;
using Cordon.Contracts.Jobs;
using Cordon.TestSupport.Egress;
using Cordon.TestSupport.Prometheus;
using static Cordon.EndToEnd.E2E;

namespace Cordon.EndToEnd;

/// <summary>
/// <c>/metrics</c> on both planes of the stack: each is scraped before and after jobs that succeed, time out, run out
/// of memory, reach the network and are refused by policy, parsed by a strict exposition-format parser, and every
/// instrument is checked to have moved by at least what these jobs did (other tests share the stack, so "at least").
/// </summary>
public sealed class ObservabilityE2ETests(StackFixture stack)
{
    private readonly string _tenant = "obs" + Guid.NewGuid().ToString("N")[..8];

    private HttpClient Client => stack.ClientFor(_tenant, "jobs:run");

    [Fact]
    public async Task Metrics_JobsOfEveryOutcome_BothPlanesCountThem()
    {
        (await stack.ClientFor("ops", "admin").PutAsync($"/v1/admin/tenants/{_tenant}/policy",
            Json($$"""{"egress":["{{EgressNames.Public}}:80"]}"""), Ct)).EnsureSuccessStatusCode();
        var controlBefore = await ScrapeAsync(stack.BaseAddress);
        var runnerBefore = await ScrapeAsync(stack.RunnerMetricsUrl);

        var ok = await Client.RunAsync(stack, """{"language":"bash","code":"mkdir -p out && printf hello > out/a.txt","artifacts":["out/*.txt"]}""");
        var timeout = await Client.RunAsync(stack, """{"language":"python","code":"import time\ntime.sleep(30)","limits":{"timeoutMs":500}}""");
        var oom = await Client.RunAsync(stack, """{"language":"python","code":"x = bytearray(512 * 1024 * 1024)\nprint(len(x))","limits":{"memoryMb":64,"timeoutMs":20000}}""");
        var curl = $"curl -s -o /dev/null -w '%{{http_code}}' http://{EgressNames.Public}/a; curl -s -o /dev/null -w ' %{{http_code}}' http://{EgressNames.Other}/";
        var egress = await Client.RunAsync(stack, $$$"""{"language":"bash","code":{{{JsonSerializer.Serialize(curl)}}},"network":{"egress":["{{{EgressNames.Public}}}:80"]}}""");
        var denied = await Client.PostAsync("/v1/jobs", Json($$$"""{"language":"bash","code":"true","network":{"egress":["{{{EgressNames.Other}}}:80"]}}"""), Ct);

        ok.Expect(JobStatus.Succeeded, stack);
        timeout.Expect(JobStatus.Timeout, stack);
        oom.Expect(JobStatus.MemoryLimit, stack);
        egress.Expect(JobStatus.Succeeded, stack);
        Assert.Equal("200 403", egress.Stdout);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);

        // The one-shot sandboxes are destroyed off the job's path: wait for their destroy phases to be counted.
        var runner = await ScrapeUntilAsync(stack.RunnerMetricsUrl, s =>
            s.Sum("cordon_runner_phase_duration_seconds_count", ("phase", "destroy")) - runnerBefore.Sum("cordon_runner_phase_duration_seconds_count", ("phase", "destroy")) >= 4);
        var control = await ScrapeAsync(stack.BaseAddress);

        Moved(controlBefore, control, "cordon_jobs_finished_total", 2, ("status", "succeeded"));
        Moved(controlBefore, control, "cordon_jobs_finished_total", 1, ("status", "timeout"));
        Moved(controlBefore, control, "cordon_jobs_finished_total", 1, ("status", "memory_limit"));
        Moved(controlBefore, control, "cordon_policy_denials_total", 1, ("action", "job.create"));
        Moved(controlBefore, control, "cordon_job_phase_duration_seconds_count", 4, ("phase", "queued"));
        Moved(controlBefore, control, "cordon_job_phase_duration_seconds_count", 4, ("phase", "running"));
        Moved(controlBefore, control, "http_server_request_duration_seconds_count", 5, ("http_route", "/v1/jobs/"), ("http_request_method", "POST"));
        Assert.Equal("histogram", control.TypeOf("http_server_request_duration_seconds"));
        Assert.Equal("histogram", control.TypeOf("cordon_job_phase_duration_seconds"));
        Assert.Equal("counter", control.TypeOf("cordon_jobs_finished_total"));
        Assert.Equal(1, control.Sum("cordon_runner_up", ("runner", "e2e")));
        Assert.Equal("gauge", control.TypeOf("cordon_queue_depth"));
        Assert.Single(control.Samples("cordon_queue_depth"));
        Assert.Single(control.Samples("cordon_runner_sandboxes_active", ("runner", "e2e")));

        foreach (var phase in (string[])["create", "write_files", "run", "collect", "destroy"])
        {
            Moved(runnerBefore, runner, "cordon_runner_phase_duration_seconds_count", 1, ("phase", phase));
        }

        Assert.True(runner.Sum("cordon_runner_phase_duration_seconds_sum", ("phase", "run")) > runnerBefore.Sum("cordon_runner_phase_duration_seconds_sum", ("phase", "run")) + 0.4,
            "the timed-out job alone ran 0.5 s");
        Moved(runnerBefore, runner, "cordon_runner_executions_total", 2, ("status", "succeeded"));
        Moved(runnerBefore, runner, "cordon_runner_timeouts_total", 1);
        Moved(runnerBefore, runner, "cordon_sandbox_oom_kills_total", 1);
        Moved(runnerBefore, runner, "cordon_egress_decisions_total", 1, ("decision", "allowed"));
        Moved(runnerBefore, runner, "cordon_egress_decisions_total", 1, ("decision", "denied"));
        Moved(runnerBefore, runner, "http_server_request_duration_seconds_count", 4, ("http_route", "/cordon.runner.v1.Runner/RunJob"));
        Assert.Equal(16, runner.Sum("cordon_sandboxes_capacity"));
        Assert.Equal("gauge", runner.TypeOf("cordon_sandboxes_active"));
    }

    [Fact]
    public async Task Metrics_NoLabelNamesATenantOrJob()
    {
        var job = await Client.RunAsync(stack, """{"language":"bash","code":"echo hi"}""");
        job.Expect(JobStatus.Succeeded, stack);

        foreach (var url in (Uri[])[stack.BaseAddress, stack.RunnerMetricsUrl])
        {
            var text = await ScrapeTextAsync(url);
            Assert.DoesNotContain(_tenant, text, StringComparison.Ordinal);
            Assert.DoesNotContain(job.Id, text, StringComparison.Ordinal);
        }
    }

    private static void Moved(PrometheusScrape before, PrometheusScrape after, string name, double atLeast, params (string Name, string Value)[] labels)
    {
        var delta = after.Sum(name, labels) - before.Sum(name, labels);
        Assert.True(delta >= atLeast, $"{name}{{{string.Join(",", labels.Select(l => $"{l.Name}=\"{l.Value}\""))}}} moved by {delta}, expected at least {atLeast}; its series: "
            + string.Join("; ", after.Samples(name).Take(8).Select(s => string.Join(",", s.Labels.Select(l => $"{l.Key}={l.Value}")) + " " + s.Value)));
    }

    private static async Task<PrometheusScrape> ScrapeUntilAsync(Uri baseAddress, Func<PrometheusScrape, bool> until)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var scrape = await ScrapeAsync(baseAddress);
            if (until(scrape) || DateTime.UtcNow > deadline)
            {
                return scrape;
            }

            await Task.Delay(200, Ct);
        }
    }

    private static async Task<PrometheusScrape> ScrapeAsync(Uri baseAddress) => PrometheusText.Parse(await ScrapeTextAsync(baseAddress));

    /// <summary>A scrape over HTTP/1.1 without credentials, as Prometheus sends it.</summary>
    private static async Task<string> ScrapeTextAsync(Uri baseAddress)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.Accept.ParseAdd("text/plain; version=0.0.4");
        using var response = await http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return await response.Content.ReadAsStringAsync(Ct);
    }
}
