using Cordon.Contracts.Runner.Agent;
using Cordon.TestSupport;

namespace Cordon.Init.Tests;

public sealed class ReplTests : IAsyncLifetime
{
    private AgentHost _agent = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static IReadOnlyList<string> Python => ["python3", "-u", RepoPaths.Combine("deploy", "runtimes", "repl", "python.py")];

    private static IReadOnlyList<string> Node => ["node", RepoPaths.Combine("deploy", "runtimes", "repl", "node.js")];

    public async ValueTask InitializeAsync() => _agent = await AgentHost.StartAsync(Token);

    public ValueTask DisposeAsync() => _agent.DisposeAsync();

    [Fact]
    public async Task Python_StateBetweenExecutions_Persists()
    {
        var first = await _agent.CallAsync(new AgentRepl { Argv = Python, Code = "x = 1" }, Token);
        var second = await _agent.CallAsync(new AgentRepl { Argv = Python, Code = "print(x)" }, Token);

        Assert.Equal(0, first.Exit.ExitCode);
        Assert.Equal("1\n", second.Stdout);
        Assert.Equal(0, second.Exit.ExitCode);
    }

    [Fact]
    public async Task Python_Stdin_IsTheRequestsText()
    {
        var result = await _agent.CallAsync(new AgentRepl { Argv = Python, Code = "print(input().upper())", Stdin = "shout\n"u8.ToArray() }, Token);

        Assert.Equal("SHOUT\n", result.Stdout);
    }

    [Fact]
    public async Task Python_UncaughtException_ExitsOneWithItsTraceback()
    {
        var result = await _agent.CallAsync(new AgentRepl { Argv = Python, Code = "print('before')\nraise ValueError('boom')" }, Token);

        Assert.Equal(1, result.Exit.ExitCode);
        Assert.Equal("before\n", result.Stdout);
        Assert.Contains("ValueError: boom", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("python.py", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Python_TimeoutKillsTheInterpreter_TheNextExecutionStartsFresh()
    {
        await _agent.CallAsync(new AgentRepl { Argv = Python, Code = "y = 5" }, Token);
        var timedOut = await _agent.CallAsync(new AgentRepl { Argv = Python, Code = "import time; time.sleep(30)", TimeoutMs = 500 }, Token);
        var after = await _agent.CallAsync(new AgentRepl { Argv = Python, Code = "print('y' in globals())" }, Token);

        Assert.True(timedOut.Exit.TimedOut);
        Assert.Equal("False\n", after.Stdout);
    }

    [Fact]
    public async Task Node_StateBetweenExecutions_Persists()
    {
        var first = await _agent.CallAsync(new AgentRepl { Argv = Node, Code = "let counter = 41; function bump() { return ++counter; }" }, Token);
        var second = await _agent.CallAsync(new AgentRepl { Argv = Node, Code = "console.log(bump())" }, Token);

        Assert.Equal(0, first.Exit.ExitCode);
        Assert.Equal("42\n", second.Stdout);
    }

    [Fact]
    public async Task Node_ThrownError_ExitsOneWithItsStack()
    {
        var result = await _agent.CallAsync(new AgentRepl { Argv = Node, Code = "throw new TypeError('nope')" }, Token);

        Assert.Equal(1, result.Exit.ExitCode);
        Assert.Contains("TypeError: nope", result.Stderr, StringComparison.Ordinal);
    }
}
