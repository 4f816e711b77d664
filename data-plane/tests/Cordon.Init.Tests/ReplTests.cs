using System.Diagnostics;
using Cordon.Contracts.Runner.Agent;

namespace Cordon.Init.Tests;

public sealed class ReplTests : AgentTestBase
{
    private static readonly string[] Python = ["python3", "-u", Path.Join(AgentProcess.RepoRoot(), "deploy/runtimes/repl/python.py")];
    private static readonly string[] Node = ["node", Path.Join(AgentProcess.RepoRoot(), "deploy/runtimes/repl/node.js")];

    [Fact]
    public async Task Repl_PythonVariable_PersistsAcrossRequests()
    {
        var first = await RunAsync(Python, "x = 1");
        var second = await RunAsync(Python, "print(x)");

        Assert.Equal(0, first.Exit.ExitCode);
        Assert.Empty(first.Stdout);
        Assert.Equal("1\n", second.StdoutText);
        Assert.Equal(0, second.Exit.ExitCode);
    }

    [Fact]
    public async Task Repl_PythonException_ExitsOneWithTraceback()
    {
        var result = await RunAsync(Python, "def f():\n    raise ValueError('boom')\nf()");

        Assert.Equal(1, result.Exit.ExitCode);
        Assert.Contains("ValueError: boom", result.StderrText, StringComparison.Ordinal);
        Assert.Contains("<cell>", result.StderrText, StringComparison.Ordinal);
        Assert.DoesNotContain("python.py", result.StderrText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repl_PythonStdin_ReadableBySys()
    {
        var result = await RunAsync(Python, "import sys\nprint(sys.stdin.read().upper(), end='')", "abc\ndef"u8.ToArray());

        Assert.Equal("ABC\nDEF", result.StdoutText);
    }

    [Fact]
    public async Task Repl_PythonTimeout_KillsAndStartsFresh()
    {
        await RunAsync(Python, "x = 42");
        var clock = Stopwatch.StartNew();

        var timedOut = await RunAsync(Python, "import time\nprint('before', flush=True)\ntime.sleep(10)", timeoutMs: 500);
        var after = await RunAsync(Python, "print('x' in globals())");

        Assert.True(timedOut.Exit.TimedOut);
        Assert.Equal("before\n", timedOut.StdoutText);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}");
        Assert.Equal("False\n", after.StdoutText);
    }

    [Fact]
    public async Task Repl_PythonOutputLimit_CutsAndResets()
    {
        var result = await RunAsync(Python, "print('a' * 100000)", outputBytes: 1000);

        Assert.True(result.Exit.OutputLimited);
        Assert.True(result.Exit.StdoutTruncated);
        Assert.Equal(1000, result.Stdout.Length);
    }

    [Fact]
    public async Task Repl_PythonLotsOfOutput_AllDeliveredBeforeExit()
    {
        var result = await RunAsync(Python, "import sys\nfor i in range(20000): print(i)\nsys.stderr.write('done')");

        Assert.Equal(string.Concat(Enumerable.Range(0, 20000).Select(i => $"{i}\n")), result.StdoutText);
        Assert.Equal("done", result.StderrText);
    }

    [Fact]
    public async Task Repl_NodeLetBinding_PersistsAcrossRequests()
    {
        var first = await RunAsync(Node, "let x = 41; var y = 1;");
        var second = await RunAsync(Node, "console.log(x + y)");

        Assert.Equal(0, first.Exit.ExitCode);
        Assert.Empty(first.Stdout);
        Assert.Equal("42\n", second.StdoutText);
    }

    [Fact]
    public async Task Repl_NodeError_ExitsOneWithStack()
    {
        var result = await RunAsync(Node, "throw new Error('boom')");

        Assert.Equal(1, result.Exit.ExitCode);
        Assert.Contains("Error: boom", result.StderrText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repl_NodePromise_IsAwaited()
    {
        var result = await RunAsync(Node, "new Promise(r => setTimeout(r, 100)).then(() => console.log('later'))");

        Assert.Equal("later\n", result.StdoutText);
    }

    [Fact]
    public async Task Repl_NodeStdin_AvailableAsGlobal()
    {
        var result = await RunAsync(Node, "process.stdout.write(stdin.toUpperCase())", "abc"u8.ToArray());

        Assert.Equal("ABC", result.StdoutText);
    }

    [Fact]
    public async Task Repl_PythonStdinBuffer_ReadsBytes()
    {
        var result = await RunAsync(Python, "import sys\nprint(len(sys.stdin.buffer.read()))", "héllo"u8.ToArray());

        Assert.Equal("6\n", result.StdoutText);
    }

    [Fact]
    public async Task Repl_DriverMissing_ReturnsSpawnFailed()
    {
        var result = await RunAsync(["no-such-interpreter-cordon"], "1");

        Assert.Equal(AgentErrorCodes.SpawnFailed, Assert.IsType<AgentError>(result.Reply).Code);
    }

    [Fact]
    public async Task Repl_CodeStartsBackgroundProcess_IsKilledAfterRequest()
    {
        var result = await RunAsync(Python, "import subprocess\np = subprocess.Popen(['sleep', '100'])\nprint(p.pid)");
        var pid = int.Parse(result.StdoutText.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var next = await RunAsync(Python, "print('still here')");

        Assert.True(await WaitUntilDeadAsync(pid, TimeSpan.FromSeconds(2)), $"pid {pid} survived the request");
        Assert.Equal("still here\n", next.StdoutText);
    }

    private Task<AgentResult> RunAsync(string[] argv, string code, byte[]? stdin = null, long timeoutMs = 20_000, long outputBytes = 0) =>
        Client.SendAsync(new AgentRepl
        {
            Argv = argv,
            Code = code,
            Stdin = stdin,
            TimeoutMs = timeoutMs,
            OutputBytes = outputBytes,
            Env = new Dictionary<string, string> { ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin" },
        }, Token);
}
