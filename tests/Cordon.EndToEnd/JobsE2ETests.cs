using System.Net;
using System.Text;
using System.Text.Json;
using Cordon.Contracts.Jobs;
using Cordon.TestSupport;
using static Cordon.EndToEnd.E2E;

namespace Cordon.EndToEnd;

/// <summary>One-shot jobs through the public API, each status from a real program in a real sandbox.</summary>
public sealed class JobsE2ETests(StackFixture stack)
{
    private readonly HttpClient _client = stack.ClientFor();

    [Fact]
    public async Task Python_Succeeds_WithByteExactStdinArgsAndEnv()
    {
        var job = await _client.RunAsync(stack, """
            {"language":"python","code":"import sys,os\nsys.stdout.write(repr(sys.stdin.read())+' '+sys.argv[1]+' '+os.environ['K'])","stdin":"a\nb","args":["x y"],"env":{"K":"V"}}
            """);
        job.Expect(JobStatus.Succeeded, stack);
        Assert.Equal("'a\\nb' x y V", job.Stdout);
        Assert.Equal(0, job.ExitCode);
        Assert.NotNull(job.FinishedAt);
    }

    [Fact]
    public async Task NonZeroExit_IsFailed()
    {
        var job = await _client.RunAsync(stack, """{"language":"bash","code":"echo out; echo err >&2; exit 3"}""");
        job.Expect(JobStatus.Failed, stack);
        Assert.Equal(3, job.ExitCode);
        Assert.Equal("out\n", job.Stdout);
        Assert.Equal("err\n", job.Stderr);
    }

    [Fact]
    public async Task C_CompileError_HasCompilerOutputAndNeverRuns()
    {
        var job = await _client.RunAsync(stack, """{"language":"c","code":"int main(void) { return oops; }"}""");
        job.Expect(JobStatus.CompileError, stack);
        Assert.Contains("oops", job.CompileOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task C_CompilesAndRuns()
    {
        var job = await _client.RunAsync(stack, """{"language":"c","code":"#include <stdio.h>\n#include <math.h>\nint main(void) { printf(\"%.0f\\n\", sqrt(16.0)); return 0; }"}""");
        job.Expect(JobStatus.Succeeded, stack);
        Assert.Equal("4\n", job.Stdout);
    }

    [Fact]
    public async Task Sleeping_PastTimeout_IsTimeout_KeepingEarlierOutput()
    {
        var job = await _client.RunAsync(stack, """{"language":"python","code":"print('before', flush=True)\nimport time\ntime.sleep(30)","limits":{"timeoutMs":1000}}""");
        job.Expect(JobStatus.Timeout, stack);
        Assert.Equal("before\n", job.Stdout);
    }

    [Fact]
    public async Task Allocating_PastMemory_IsMemoryLimit()
    {
        var job = await _client.RunAsync(stack, """{"language":"python","code":"x = bytearray(512 * 1024 * 1024)\nprint(len(x))","limits":{"memoryMb":64,"timeoutMs":20000}}""");
        job.Expect(JobStatus.MemoryLimit, stack);
    }

    [Fact]
    public async Task Printing_PastOutputBytes_IsOutputLimit()
    {
        var job = await _client.RunAsync(stack, """{"language":"python","code":"while True:\n    print('x' * 100)","limits":{"outputBytes":1000,"timeoutMs":20000}}""");
        job.Expect(JobStatus.OutputLimit, stack);
        Assert.True(job.StdoutTruncated);
        Assert.True(Encoding.UTF8.GetByteCount(job.Stdout) <= 1000);
    }

    [Fact]
    public async Task Cancel_RunningJob_IsCancelled_AndStaysCancelled()
    {
        var accepted = await _client.PostAsync("/v1/jobs", Json("""{"language":"python","code":"print('go', flush=True)\nimport time\ntime.sleep(60)","wait":false}"""), Ct);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var job = await accepted.ReadAsync<Job>(stack);
        Assert.Equal($"/v1/jobs/{job.Id}", accepted.Headers.Location!.OriginalString);
        await _client.PollAsync(stack, job.Id, j => j.Status != JobStatus.Queued);
        await Task.Delay(500, Ct);

        var cancelled = await (await _client.PostAsync($"/v1/jobs/{job.Id}/cancel", null, Ct)).ReadAsync<Job>(stack);
        cancelled.Expect(JobStatus.Cancelled, stack);
        var again = await (await _client.PostAsync($"/v1/jobs/{job.Id}/cancel", null, Ct)).ReadAsync<Job>(stack);
        again.Expect(JobStatus.Cancelled, stack);
    }

    [Fact]
    public async Task OneBytePerWrite_IsStoredAsFewCoalescedEvents()
    {
        const int Bytes = 20_000;
        var job = await _client.RunAsync(stack, $$"""{"language":"python","code":"import os\nfor _ in range({{Bytes}}):\n    os.write(1, b'x')"}""");
        job.Expect(JobStatus.Succeeded, stack);
        Assert.Equal(new string('x', Bytes), job.Stdout);

        // Each stored event is one row: one per write() would be 20,000.
        var chunks = (await SseReader.ReadJobEventsAsync(_client, job.Id, null, Ct)).Where(e => e.Event == "stdout").ToList();
        Assert.Equal(new string('x', Bytes), string.Concat(chunks.Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("data").GetString())));
        Assert.True(chunks.Count <= 100, $"{chunks.Count} stdout events (rows) for {Bytes} one-byte writes");
    }

    [Fact]
    public async Task Events_StreamLiveOutput_AndResumeAfterCompletion()
    {
        var job = await (await _client.PostAsync("/v1/jobs", Json("""{"language":"python","code":"import time\nfor i in range(3):\n    print(i, flush=True)\n    time.sleep(0.2)","wait":false}"""), Ct)).ReadAsync<Job>(stack);

        var live = await SseReader.ReadJobEventsAsync(_client, job.Id, null, Ct);
        Assert.Equal("result", live[^1].Event);
        Assert.Equal("0\n1\n2\n", string.Concat(live.Where(e => e.Event == "stdout").Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("data").GetString())));
        Assert.Contains(live, e => e.Event == "status" && e.Data.Contains("running", StringComparison.Ordinal));
        Assert.All(live, e => Assert.NotEmpty(e.Id));

        var resumeFrom = live.First(e => e.Event == "stdout");
        var resumed = await SseReader.ReadJobEventsAsync(_client, job.Id, resumeFrom.Id, Ct);
        Assert.Equal(live.SkipWhile(e => e != resumeFrom).Skip(1).Select(e => e.Id), resumed.Select(e => e.Id));
    }

    [Fact]
    public async Task IdempotencyKey_SameBodySameJob_DifferentBody409()
    {
        var key = Guid.NewGuid().ToString();
        async Task<HttpResponseMessage> Send(string body)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/jobs") { Content = Json(body) };
            request.Headers.Add("Idempotency-Key", key);
            return await _client.SendAsync(request, Ct);
        }

        var first = await (await Send("""{"language":"python","code":"print(1)"}""")).ReadAsync<Job>(stack);
        var second = await (await Send("""{"language":"python","code":"print(1)"}""")).ReadAsync<Job>(stack);
        var conflict = await Send("""{"language":"python","code":"print(2)"}""");
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("application/problem+json", conflict.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Artifacts_AreCollectedAndServed()
    {
        var job = await _client.RunAsync(stack, """{"language":"bash","code":"mkdir -p out && printf hello > out/a.txt","artifacts":["out/*.txt"]}""");
        job.Expect(JobStatus.Succeeded, stack);
        var artifact = Assert.Single(job.Artifacts);
        Assert.Equal("out/a.txt", artifact.Path);
        Assert.Equal("hello", await _client.GetStringAsync($"/v1/jobs/{job.Id}/artifacts/out/a.txt", Ct));
    }

    [Fact]
    public async Task Artifact_LeavesTheRunnerEncrypted_IsCiphertextAtRest_DeleteShredsIt()
    {
        var marker = "E2E-MARKER-" + Guid.NewGuid().ToString("N");
        var job = await _client.RunAsync(stack, $$"""{"language":"bash","code":"mkdir -p out && for i in $(seq 20000); do echo {{marker}}; done > out/m.txt","artifacts":["out/*.txt"]}""");
        job.Expect(JobStatus.Succeeded, stack);

        var stored = Assert.Single(Directory.GetFiles(Path.Combine(stack.DataDir, "artifacts"), "m.txt", SearchOption.AllDirectories), f => f.Contains(job.Id, StringComparison.Ordinal));
        var ciphertext = await File.ReadAllBytesAsync(stored, Ct);
        Assert.True(ciphertext.AsSpan().StartsWith("CDE"u8));
        Assert.Equal(-1, ciphertext.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(marker)));
        var plaintext = await _client.GetStringAsync($"/v1/jobs/{job.Id}/artifacts/out/m.txt", Ct); // several 64 KiB chunks
        Assert.Equal(20000 * (marker.Length + 1), plaintext.Length);
        Assert.StartsWith(marker + "\n", plaintext, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/v1/jobs/{job.Id}", Ct)).StatusCode);
        Assert.False(File.Exists(stored));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/v1/jobs/{job.Id}/artifacts/out/m.txt", Ct)).StatusCode);
    }

    [Fact]
    public async Task List_PagesWithCursor_AndFiltersByStatus()
    {
        var client = stack.ClientFor(tenant: "lister-" + Guid.NewGuid().ToString("N")[..8]);
        await client.RunAsync(stack, """{"language":"bash","code":"exit 1"}""");
        await client.RunAsync(stack, """{"language":"bash","code":"true"}""");
        await client.RunAsync(stack, """{"language":"bash","code":"true"}""");

        var page1 = await (await client.GetAsync("/v1/jobs?limit=2", Ct)).ReadAsync<JobPage>(stack);
        var page2 = await (await client.GetAsync($"/v1/jobs?limit=2&cursor={page1.Next}", Ct)).ReadAsync<JobPage>(stack);
        Assert.Equal(2, page1.Items.Count);
        Assert.Single(page2.Items);
        Assert.Null(page2.Next);
        Assert.Single((await (await client.GetAsync("/v1/jobs?status=failed", Ct)).ReadAsync<JobPage>(stack)).Items);
    }

    [Theory]
    [InlineData("""{"language":"python","code":"print(1)","unknown":true}""")]
    [InlineData("""{"language":"python","code":""")]
    [InlineData("""{"language":"klingon","code":"x"}""")]
    [InlineData("""{"language":"python","files":[{"path":"../../etc/passwd","content":"x"}]}""")]
    [InlineData("""{"language":"python","files":[{"path":"/etc/passwd","content":"x"}]}""")]
    [InlineData("""{"language":"python","files":[{"path":"a.py","content":"%%%","encoding":"base64"}]}""")]
    [InlineData("""{"language":"python","code":"1","limits":{"memoryMb":1000000}}""")]
    public async Task InvalidRequests_Are400Problems(string body)
    {
        var response = await _client.PostAsync("/v1/jobs", Json(body), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("\"detail\"", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}
