using Cordon.Contracts.Runner.V1;
using Google.Protobuf;

namespace Cordon.Runner.Tests;

[Collection(RunnerCollection.Name)]
public sealed class RunJobTests(RunnerProcess runner)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string> HelloPrograms => new()
    {
        { "python", "import sys\nprint('hello ' + sys.stdin.read())", "hello world" },
        { "javascript", "const d = require('fs').readFileSync(0, 'utf8'); console.log('hello ' + d);", "hello world" },
        { "bash", "read -r line; echo \"hello $line\"", "hello world" },
        { "c", "#include <stdio.h>\nint main(void){char b[64]; fgets(b, sizeof b, stdin); printf(\"hello %s\\n\", b); return 0;}", "hello world" },
        { "cpp", "#include <iostream>\n#include <string>\nint main(){std::string s; std::getline(std::cin, s); std::cout << \"hello \" << s << std::endl;}", "hello world" },
    };

    [Theory]
    [MemberData(nameof(HelloPrograms))]
    public async Task RunJob_HelloWithStdin_PrintsInEveryRuntime(string language, string code, string expected)
    {
        var outcome = await RunAsync(new RunJobRequest { Language = language, Files = { Code(code) }, Stdin = ByteString.CopyFromUtf8("world") });

        Assert.True(outcome.Result.Status == ExecStatus.Succeeded, outcome.ToString());
        Assert.Equal(expected, outcome.Stdout.TrimEnd('\n'));
        Assert.Equal(0, outcome.Result.ExitCode);
    }

    [Fact]
    public async Task RunJob_PythonImportingASecondFile_Runs()
    {
        var outcome = await RunAsync(new RunJobRequest
        {
            Language = "py",
            Files = { File("main.py", "from lib.helper import greet\nprint(greet('multi'))"), File("lib/helper.py", "def greet(n):\n    return f'hi {n}'") },
        });

        Assert.Equal("hi multi\n", outcome.Stdout);
    }

    [Fact]
    public async Task RunJob_CWithTwoSourceFiles_CompilesBothAndLinksLibm()
    {
        var outcome = await RunAsync(new RunJobRequest
        {
            Language = "c",
            Files = { File("main.c", "#include <stdio.h>\n#include <math.h>\nint twice(int);\nint main(void){printf(\"%d %.0f\\n\", twice(21), sqrt(81.0));return 0;}"), File("util/twice.c", "int twice(int x){return 2*x;}") },
        });

        Assert.True(outcome.Result.Status == ExecStatus.Succeeded, outcome.ToString());
        Assert.Equal("42 9\n", outcome.Stdout);
        Assert.Equal([Phase.Starting, Phase.Compiling, Phase.Running], outcome.Phases);
    }

    [Fact]
    public async Task RunJob_ArgsAndExitCodeAndStderr_AreReported()
    {
        var outcome = await RunAsync(new RunJobRequest
        {
            Language = "python",
            Files = { Code("import sys\nprint(sys.argv[1:], file=sys.stderr)\nsys.exit(7)") },
            Args = { "a b", "c" },
        });

        Assert.Equal(ExecStatus.Failed, outcome.Result.Status);
        Assert.Equal(7, outcome.Result.ExitCode);
        Assert.Equal("['a b', 'c']\n", outcome.Stderr);
    }

    [Theory]
    [InlineData("c", "int main(void) { return missing_symbol; }")]
    [InlineData("cpp", "int main() { undefined_call(); }")]
    public async Task RunJob_CompileError_IsReportedAndTheProgramNeverRuns(string language, string code)
    {
        var outcome = await RunAsync(new RunJobRequest { Language = language, Files = { Code(code) } });

        Assert.Equal(ExecStatus.CompileError, outcome.Result.Status);
        Assert.Contains("error", outcome.Result.CompileOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(Phase.Running, outcome.Phases);
        Assert.Equal("", outcome.Stdout);
    }

    [Fact]
    public async Task RunJob_PythonSyntaxError_IsFailedNotCompileError()
    {
        var outcome = await RunAsync(new RunJobRequest { Language = "python", Files = { Code("print(") } });

        Assert.Equal(ExecStatus.Failed, outcome.Result.Status);
        Assert.Contains("SyntaxError", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunJob_SleepPastTimeout_EndsTimeoutKeepingEarlierOutput()
    {
        var outcome = await RunAsync(new RunJobRequest { Language = "bash", Files = { Code("echo before; sleep 30") }, Limits = new Limits { TimeoutMs = 1000 } });

        Assert.Equal(ExecStatus.Timeout, outcome.Result.Status);
        Assert.Equal("before\n", outcome.Stdout);
        Assert.InRange(outcome.Result.DurationMs, 900, 5000);
    }

    [Fact]
    public async Task RunJob_AllocatingPast64MiB_EndsMemoryLimit()
    {
        var outcome = await RunAsync(new RunJobRequest
        {
            Language = "python",
            Files = { Code("print('start', flush=True)\nblocks = []\nwhile True:\n    blocks.append(bytearray(16 * 1024 * 1024))") },
            Limits = new Limits { MemoryMb = 64 },
        });

        Assert.True(outcome.Result.Status == ExecStatus.MemoryLimit, outcome.ToString());
        Assert.Equal("start\n", outcome.Stdout);
        Assert.InRange(outcome.Result.Usage.PeakMemoryBytes, 32L * 1024 * 1024, 65L * 1024 * 1024);
    }

    [Fact]
    public async Task RunJob_TenMiBOfOutput_IsCutAtTheLimit()
    {
        var outcome = await RunAsync(new RunJobRequest
        {
            Language = "python",
            Files = { Code("import sys\nsys.stdout.write('x' * (10 * 1024 * 1024))") },
            Limits = new Limits { OutputBytes = 1024 * 1024 },
        });

        Assert.Equal(ExecStatus.OutputLimit, outcome.Result.Status);
        Assert.True(outcome.Result.StdoutTruncated);
        Assert.Equal(1024 * 1024, outcome.Stdout.Length);
    }

    [Fact]
    public async Task RunJob_ForkBomb_IsContainedAndTheRunnerServesTheNextJob()
    {
        var bomb = await RunAsync(new RunJobRequest { Language = "bash", Files = { Code("bomb() { bomb | bomb & }; bomb; sleep 2; echo survived") }, Limits = new Limits { TimeoutMs = 5000, Pids = 64 } });
        var next = await RunAsync(new RunJobRequest { Language = "python", Files = { Code("print('next')") } });

        Assert.Contains(bomb.Result.Status, new[] { ExecStatus.Succeeded, ExecStatus.Timeout, ExecStatus.Failed });
        Assert.Equal("next\n", next.Stdout);
    }

    [Fact]
    public async Task RunJob_ArtifactGlobs_CollectMatchingFilesWithTheirHashes()
    {
        var outcome = await RunAsync(new RunJobRequest
        {
            Language = "python",
            Files = { Code("import os\nos.makedirs('out', exist_ok=True)\nopen('out/a.txt','w').write('alpha')\nopen('out/b.bin','w').write('beta')\nopen('skip.txt','w').write('no')") },
            ArtifactGlobs = { "out/*.txt" },
        });

        var artifact = Assert.Single(outcome.Result.Artifacts);
        Assert.Equal("out/a.txt", artifact.Path);
        Assert.Equal("alpha", artifact.Content.ToStringUtf8());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("alpha"u8)), artifact.Sha256);
    }

    [Fact]
    public async Task RunJob_Usage_ComesFromTheCgroup()
    {
        var outcome = await RunAsync(new RunJobRequest { Language = "python", Files = { Code("x = sum(i * i for i in range(3_000_000))\nprint(len(bytearray(50 * 1024 * 1024)))") } });

        Assert.True(outcome.Result.Usage.CpuMs > 50, outcome.ToString());
        Assert.True(outcome.Result.Usage.PeakMemoryBytes > 50L * 1024 * 1024, outcome.ToString());
    }

    private async Task<JobOutcome> RunAsync(RunJobRequest request)
    {
        request.Tenant = "test";
        request.JobId = Guid.NewGuid().ToString("N");
        using var call = runner.Client.RunJob(request, runner.Auth, cancellationToken: Token);
        return await JobOutcome.ReadAsync(call, Token);
    }

    private static Contracts.Runner.V1.File Code(string code) => new() { Path = "", Content = ByteString.CopyFromUtf8(code) };

    private static Contracts.Runner.V1.File File(string path, string code) => new() { Path = path, Content = ByteString.CopyFromUtf8(code) };
}
