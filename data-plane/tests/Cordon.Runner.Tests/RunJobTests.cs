using Cordon.Contracts.Runner.V1;

namespace Cordon.Runner.Tests;

/// <summary>Programs in every runtime, through the real gRPC service and real sandboxes.</summary>
public sealed class RunJobTests(RunnerFixture runner) : RunnerTestBase(runner)
{
    public static TheoryData<string, string> HelloPrograms => new()
    {
        { "python", "import sys\nprint('hello ' + sys.stdin.read())" },
        { "javascript", "const s = require('fs').readFileSync(0, 'utf8'); console.log('hello ' + s);" },
        { "bash", "read -r x; echo \"hello $x\"" },
        { "c", "#include <stdio.h>\nint main(void){char b[64]; if(scanf(\"%63s\", b)!=1) return 9; printf(\"hello %s\\n\", b); return 0;}" },
        { "cpp", "#include <iostream>\n#include <string>\nint main(){std::string s; std::cin >> s; std::cout << \"hello \" << s << std::endl;}" },
    };

    [Theory]
    [MemberData(nameof(HelloPrograms))]
    public async Task RunJob_HelloWithStdin_PrintsGreeting(string language, string code)
    {
        var result = await RunAsync(language, code, stdin: "world");

        Assert.True(result.Status == ExecStatus.Succeeded, result.ToString());
        Assert.Equal("hello world", result.Stdout.TrimEnd());
        Assert.Equal(0, result.Result.ExitCode);
        Assert.True(result.Result.HasExitCode);
        Assert.True(result.Result.Usage.CpuMs >= 0);
        Assert.True(result.Result.Usage.PeakMemoryBytes > 0, result.ToString());
    }

    [Fact]
    public async Task RunJob_PythonImportsSecondModule_Succeeds()
    {
        var result = await RunAsync("python", "import helper\nprint(helper.twice(21))", extraFiles: ("helper.py", "def twice(x):\n    return 2 * x\n"));

        Assert.True(result.Status == ExecStatus.Succeeded, result.ToString());
        Assert.Equal("42\n", result.Stdout);
    }

    [Fact]
    public async Task RunJob_CWithTwoSourceFiles_CompilesAndLinksBoth()
    {
        var result = await RunAsync(
            "c",
            "#include <stdio.h>\n#include <math.h>\nint add(int, int);\nint main(void){printf(\"%d %.0f\\n\", add(40, 2), sqrt(81.0));return 0;}",
            extraFiles: ("lib/add.c", "int add(int a, int b){return a + b;}\n"));

        Assert.True(result.Status == ExecStatus.Succeeded, result.ToString());
        Assert.Equal("42 9\n", result.Stdout);
        Assert.Contains(Phase.Compiling, result.Phases);
        Assert.Contains(Phase.Running, result.Phases);
    }

    [Fact]
    public async Task RunJob_NonZeroExitAndStderr_IsFailedWithBoth()
    {
        var result = await RunAsync("bash", "echo out; echo oops >&2; exit 7");

        Assert.Equal(ExecStatus.Failed, result.Status);
        Assert.Equal(7, result.Result.ExitCode);
        Assert.Equal("out\n", result.Stdout);
        Assert.Equal("oops\n", result.Stderr);
    }

    [Fact]
    public async Task RunJob_PythonException_IsFailedWithTraceback()
    {
        var result = await RunAsync("python", "raise ValueError('boom')");

        Assert.Equal(ExecStatus.Failed, result.Status);
        Assert.Equal(1, result.Result.ExitCode);
        Assert.Contains("ValueError: boom", result.Stderr);
    }

    [Theory]
    [InlineData("c", "int main(void){ return undefined_symbol; }")]
    [InlineData("cpp", "int main(){ return undefined_symbol; }")]
    public async Task RunJob_CompileError_ReportsCompilerOutputAndNeverRuns(string language, string code)
    {
        var result = await RunAsync(language, code);

        Assert.Equal(ExecStatus.CompileError, result.Status);
        Assert.Contains("undefined_symbol", result.Result.CompileOutput);
        Assert.Contains("error", result.Result.CompileOutput);
        // Compiler messages are not program output, and the program never ran.
        Assert.Equal("", result.Stdout);
        Assert.Equal("", result.Stderr);
        Assert.DoesNotContain(Phase.Running, result.Phases);
    }

    [Fact]
    public async Task RunJob_Artifacts_AreCollectedByGlob()
    {
        var request = new RunJobRequest { Language = "python" };
        request.Files.Add(new Cordon.Contracts.Runner.V1.File { Path = "main.py", Content = Google.Protobuf.ByteString.CopyFromUtf8("import os\nos.makedirs('out', exist_ok=True)\nopen('out/a.txt','w').write('A')\nopen('b.txt','w').write('B')") });
        request.ArtifactGlobs.Add("out/*.txt");

        var result = await RunJobAsync(request);

        Assert.True(result.Status == ExecStatus.Succeeded, result.ToString());
        var artifact = Assert.Single(result.Result.Artifacts);
        Assert.Equal("out/a.txt", artifact.Path);
        Assert.Equal("A", artifact.Content.ToStringUtf8());
        Assert.Equal("559aead08264d5795d3909718cdd05abd49572e84fe55590eef31a88a08fdffd", artifact.Sha256);
    }
}
