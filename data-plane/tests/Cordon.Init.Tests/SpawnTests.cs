using System.Diagnostics;
using Cordon.Contracts.Runner.Agent;

namespace Cordon.Init.Tests;

public sealed class SpawnTests : IAsyncLifetime
{
    private AgentHost _agent = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _agent = await AgentHost.StartAsync(Token);

    public ValueTask DisposeAsync() => _agent.DisposeAsync();

    [Fact]
    public async Task Health_Query_ReportsTheProtocolVersion()
    {
        var result = await _agent.CallAsync(new AgentHealthQuery(), Token);

        var health = Assert.IsType<AgentHealth>(result.Reply);
        Assert.Equal(AgentFrame.ProtocolVersion, health.ProtocolVersion);
    }

    [Fact]
    public async Task Spawn_ProgramWritingBothStreams_StreamsThemAndReportsTheExitCode()
    {
        var result = await _agent.CallAsync(new AgentSpawn { Argv = ["sh", "-c", "echo out; echo err >&2; exit 3"] }, Token);

        Assert.Equal("out\n", result.Stdout);
        Assert.Equal("err\n", result.Stderr);
        Assert.Equal(3, result.Exit.ExitCode);
        Assert.Null(result.Exit.Signal);
    }

    [Fact]
    public async Task Spawn_Stdin_IsPassedByteExact()
    {
        var result = await _agent.CallAsync(new AgentSpawn { Argv = ["cat"], Stdin = "line one\nno newline at end"u8.ToArray() }, Token);

        Assert.Equal("line one\nno newline at end", result.Stdout);
        Assert.Equal(0, result.Exit.ExitCode);
    }

    [Fact]
    public async Task Spawn_ArgsAndEnv_ArePassedUnchangedOnAFreshEnvironment()
    {
        var result = await _agent.CallAsync(new AgentSpawn
        {
            Argv = ["sh", "-c", "printf '%s|' \"$1\" \"$GREETING\" \"$HOME\" \"$(pwd)\"; env | grep -c DOTNET_ || true", "sh", "a b"],
            Env = new Dictionary<string, string> { ["GREETING"] = "hi there" },
        }, Token);

        Assert.Equal($"a b|hi there|{_agent.Workspace}|{_agent.Workspace}|0\n", result.Stdout);
    }

    [Fact]
    public async Task Spawn_ProgramKilledBySignal_ReportsTheSignal()
    {
        var result = await _agent.CallAsync(new AgentSpawn { Argv = ["sh", "-c", "kill -SEGV $$"] }, Token);

        Assert.Null(result.Exit.ExitCode);
        Assert.Equal("SIGSEGV", result.Exit.Signal);
    }

    [Fact]
    public async Task Spawn_SleepPastTheTimeout_IsKilledAndTimesOut()
    {
        var clock = Stopwatch.StartNew();
        var result = await _agent.CallAsync(new AgentSpawn { Argv = ["sh", "-c", "echo started; sleep 30"], TimeoutMs = 500 }, Token);

        Assert.True(result.Exit.TimedOut);
        Assert.Equal("SIGKILL", result.Exit.Signal);
        Assert.Equal("started\n", result.Stdout);
        Assert.InRange(clock.ElapsedMilliseconds, 400, 5000);
    }

    [Fact]
    public async Task Spawn_OutputPastTheLimit_IsCutExactlyAtTheLimit()
    {
        var result = await _agent.CallAsync(new AgentSpawn { Argv = ["sh", "-c", "yes | head -c 10000000"], OutputBytes = 1024 * 1024 }, Token);

        Assert.True(result.Exit.OutputLimited);
        Assert.True(result.Exit.StdoutTruncated);
        Assert.False(result.Exit.StderrTruncated);
        Assert.Equal(1024 * 1024, result.Stdout.Length);
    }

    [Fact]
    public async Task Spawn_BackgroundProcessLeftBehind_IsGoneAfterwards()
    {
        var result = await _agent.CallAsync(new AgentSpawn { Argv = ["sh", "-c", "setsid sleep 300 >/dev/null 2>&1 & echo $!"] }, Token);

        var pid = int.Parse(result.Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, result.Exit.ExitCode);
        Assert.False(IsAlive(pid), $"background process {pid} survived its request");
    }

    [Fact]
    public async Task Spawn_RunnerHangsUp_KillsTheProgram()
    {
        var marker = Path.Combine(_agent.Workspace, "pid");
        await using (var stream = await _agent.ConnectAsync(Token))
        {
            var request = new AgentSpawn { Argv = ["sh", "-c", $"echo $$ > {marker}; sleep 300"] };
            await AgentFrame.WriteAsync(stream, AgentFrameKind.Message, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes<AgentRequest>(request, AgentJsonContext.Default.AgentRequest), Token);
            for (var i = 0; i < 200 && !File.Exists(marker); i++)
            {
                await Task.Delay(10, Token);
            }
        }

        var pid = int.Parse((await File.ReadAllTextAsync(marker, Token)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < 100 && IsAlive(pid); i++)
        {
            await Task.Delay(20, Token);
        }

        Assert.False(IsAlive(pid), "the program outlived the connection that started it");
    }

    [Fact]
    public async Task Spawn_MissingProgram_FailsWithSpawnFailed()
    {
        var result = await _agent.CallAsync(new AgentSpawn { Argv = ["no-such-program-here"] }, Token);

        var error = Assert.IsType<AgentError>(result.Reply);
        Assert.Equal(AgentErrorCodes.SpawnFailed, error.Code);
        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedFrame_FromTheRunner_IsBadRequestAndTheAgentServesTheNext()
    {
        await using (var stream = await _agent.ConnectAsync(Token))
        {
            await AgentFrame.WriteAsync(stream, AgentFrameKind.Message, "{not json"u8.ToArray(), Token);
            var result = await AgentHost.ReadResultAsync(stream, Token);
            Assert.Equal(AgentErrorCodes.BadRequest, Assert.IsType<AgentError>(result.Reply).Code);
        }

        var next = await _agent.CallAsync(new AgentSpawn { Argv = ["echo", "still here"] }, Token);
        Assert.Equal("still here\n", next.Stdout);
    }

    private static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
