using System.Text.Json;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Json;

namespace Cordon.Client.Tests;

public sealed class RunCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Run_StreamsOutputAsItComes_AndExitsWithTheProgramsExitCode()
    {
        await using var server = await FakeCordonServer.StartAsync(Ct);
        server.Events.AddRange([
            ("status", FakeCordonServer.Status(JobStatus.Running)),
            ("stdout", FakeCordonServer.Output("tick 1\n")),
            ("stderr", FakeCordonServer.Output("oops\n")),
            ("stdout", FakeCordonServer.Output("tick 2\n")),
        ]);
        // The stream stops after "tick 1" until the test has seen it on the process's stdout: output is streamed, not buffered.
        server.PauseAfterEvent = 2;
        server.FinalJob = FakeCordonServer.NewJob(JobStatus.Failed) with { ExitCode = 3, Stdout = "tick 1\ntick 2\n", Stderr = "oops\n" };

        await using var cli = CliProcess.Start(Env(server), "run", "python", "-c", "print(input())", "--stdin", "hi", "--arg", "a", "--arg", "b", "--timeout-ms", "5000");
        cli.Stdin.Close();
        await cli.WaitForStdoutAsync("tick 1\n", Ct);
        Assert.DoesNotContain("tick 2", cli.Stdout, StringComparison.Ordinal);
        server.Gate.SetResult();
        var exitCode = await cli.WaitForExitAsync(Ct);

        Assert.Equal(3, exitCode);
        Assert.Equal("tick 1\ntick 2\n", cli.Stdout);
        Assert.Equal("oops\n", cli.Stderr);
        var request = server.LastJobRequest!;
        Assert.False(request.Wait);
        Assert.Equal("python", request.Language);
        Assert.Equal("print(input())", request.Code);
        Assert.Equal("hi", request.Stdin);
        Assert.Equal(["a", "b"], request.Args);
        Assert.Equal(5000, request.Limits!.TimeoutMs);
        Assert.Equal("Bearer test-token", server.LastAuthorization);
    }

    [Fact]
    public async Task Run_Timeout_Exits124AndSaysWhy()
    {
        await using var server = await FakeCordonServer.StartAsync(Ct);
        server.FinalJob = FakeCordonServer.NewJob(JobStatus.Timeout) with { DurationMs = 1000 };

        var (exitCode, _, stderr) = await CliProcess.RunAsync(Env(server), null, Ct, "run", "python", "-c", "import time; time.sleep(9)");

        Assert.Equal(124, exitCode);
        Assert.Contains("timed out after 1000 ms", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_CompileError_PrintsCompilerOutputAndExits65()
    {
        await using var server = await FakeCordonServer.StartAsync(Ct);
        server.FinalJob = FakeCordonServer.NewJob(JobStatus.CompileError) with { CompileOutput = "main.c:1: error: expected ';'\n" };

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(Env(server), null, Ct, "run", "c", "-c", "int main(){return 0}");

        Assert.Equal(65, exitCode);
        Assert.Empty(stdout);
        Assert.Contains("main.c:1: error: expected ';'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_KilledBySignal_Exits128PlusSignal()
    {
        await using var server = await FakeCordonServer.StartAsync(Ct);
        server.FinalJob = FakeCordonServer.NewJob(JobStatus.Failed) with { Signal = "SIGSEGV" };

        var (exitCode, _, _) = await CliProcess.RunAsync(Env(server), null, Ct, "run", "c", "-c", "x");

        Assert.Equal(139, exitCode);
    }

    [Fact]
    public async Task Run_Json_PrintsTheFinishedJob()
    {
        await using var server = await FakeCordonServer.StartAsync(Ct);
        server.Events.Add(("stdout", FakeCordonServer.Output("hello\n")));
        server.FinalJob = FakeCordonServer.NewJob(JobStatus.Succeeded) with { ExitCode = 0, Stdout = "hello\n" };

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(Env(server), null, Ct, "run", "python", "-c", "print('hello')", "--json");

        Assert.True(exitCode == 0, stderr);
        var job = JsonSerializer.Deserialize(stdout, CordonJsonContext.Default.Job)!;
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal("hello\n", job.Stdout);
    }

    [Fact]
    public async Task Run_Json_PrintsTextAsAPersonReadsIt()
    {
        // Quotes, HTML characters, accents and emoji as written; what JSON or a terminal needs escaped, escaped.
        const string Text = "it's <b>&</b> café 😀 \"q\" \\ \n\u001b[31m\u009b\u2028\u202e";
        await using var server = await FakeCordonServer.StartAsync(Ct);
        server.FinalJob = FakeCordonServer.NewJob(JobStatus.Succeeded) with { ExitCode = 0, Stdout = Text };

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(Env(server), null, Ct, "run", "python", "-c", "x", "--json");

        Assert.True(exitCode == 0, stderr);
        Assert.Contains("""
            "stdout": "it's <b>&</b> café 😀 \"q\" \\ \n\u001b[31m\u009b\u2028\u202e"
            """, stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0027", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', stdout);
        Assert.Equal(Text, JsonSerializer.Deserialize(stdout, CordonJsonContext.Default.Job)!.Stdout);
    }

    [Fact]
    public async Task Run_FilesAndCodeOnStdin_AreSentAsTheJob()
    {
        await using var server = await FakeCordonServer.StartAsync(Ct);
        var dir = Directory.CreateTempSubdirectory("cordon-cli-files-").FullName;
        var main = Path.Combine(dir, "app.py");
        var helper = Path.Combine(dir, "helper.py");
        await File.WriteAllTextAsync(main, "import helper", Ct);
        await File.WriteAllTextAsync(helper, "X = 1", Ct);

        var (exitCode, _, stderr) = await CliProcess.RunAsync(Env(server), null, Ct, "run", "python", main, helper);
        Assert.True(exitCode == 0, stderr);
        Assert.Equal(["app.py", "helper.py"], server.LastJobRequest!.Files!.Select(f => f.Path));
        Assert.Equal("app.py", server.LastJobRequest.Entrypoint);
        Assert.Equal("import helper", server.LastJobRequest.Files![0].Content);

        (exitCode, _, stderr) = await CliProcess.RunAsync(Env(server), "print('from stdin')", Ct, "run", "python");
        Assert.True(exitCode == 0, stderr);
        Assert.Equal("print('from stdin')", server.LastJobRequest!.Code);
    }

    [Fact]
    public async Task Run_ValidationProblem_PrintsOneLinePlusFieldErrors()
    {
        await using var server = await FakeCordonServer.StartAsync(Ct);

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(Env(server), null, Ct, "run", "cobol", "-c", "x");

        Assert.Equal(1, exitCode);
        Assert.Empty(stdout);
        var lines = stderr.TrimEnd('\n').Split('\n');
        Assert.Equal("cordon: The request is invalid. (400): Unknown language 'cobol'.", lines[0]);
        Assert.Equal("  language: Use a language from GET /v1/runtimes.", lines[1]);
    }

    [Fact]
    public async Task Run_ServerDown_SaysItCannotReachCordon()
    {
        var (exitCode, _, stderr) = await CliProcess.RunAsync(new Dictionary<string, string?> { ["CORDON_URL"] = "http://127.0.0.1:9" }, null, Ct, "run", "python", "-c", "1");

        Assert.Equal(69, exitCode);
        Assert.Equal("cordon: cannot reach Cordon at http://127.0.0.1:9: is it running? (make run)\n", stderr);
    }

    [Fact]
    public async Task Run_CodeAndFiles_IsAUsageError()
    {
        var (exitCode, _, stderr) = await CliProcess.RunAsync(new Dictionary<string, string?>(), null, Ct, "run", "python", "-c", "1", "main.py");

        Assert.Equal(2, exitCode);
        Assert.Contains("not both", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Interrupted_CancelsTheJobAndExits130()
    {
        await using var server = await FakeCordonServer.StartAsync(Ct);
        server.Events.Add(("stdout", FakeCordonServer.Output("started\n")));
        server.PauseAfterEvent = 1;

        await using var cli = CliProcess.Start(Env(server), "run", "python", "-c", "while True: pass");
        cli.Stdin.Close();
        await cli.WaitForStdoutAsync("started\n", Ct);
        cli.Signal("INT");
        var exitCode = await cli.WaitForExitAsync(Ct);

        Assert.Equal(130, exitCode);
        Assert.Contains("POST /v1/jobs/job-1/cancel", server.Requests);
        Assert.Contains("cancelled job job-1", cli.Stderr, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Env(FakeCordonServer server) => new()
    {
        ["CORDON_URL"] = server.Url.AbsoluteUri,
        ["CORDON_TOKEN"] = "test-token",
    };
}
