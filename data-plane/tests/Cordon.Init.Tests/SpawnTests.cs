using System.Diagnostics;
using System.Globalization;
using System.Text;
using Cordon.Contracts.Runner.Agent;

namespace Cordon.Init.Tests;

public sealed class SpawnTests : AgentTestBase
{
    [Fact]
    public async Task Spawn_Echo_StreamsStdoutAndExitsZero()
    {
        var result = await SpawnAsync(["echo", "hello"]);

        Assert.Equal("hello\n", result.StdoutText);
        Assert.Equal(0, result.Exit.ExitCode);
        Assert.Null(result.Exit.Signal);
        Assert.False(result.Exit.TimedOut);
    }

    [Fact]
    public async Task Spawn_Stdin_ReachesProgramExactly()
    {
        var input = "line one\nno newline at the end"u8.ToArray();

        var result = await SpawnAsync(["cat"], stdin: input);

        Assert.Equal(input, result.Stdout);
    }

    [Fact]
    public async Task Spawn_NoStdin_ProgramSeesEndOfFile()
    {
        var result = await SpawnAsync(["cat"], timeoutMs: 5_000);

        Assert.Empty(result.Stdout);
        Assert.Equal(0, result.Exit.ExitCode);
        Assert.False(result.Exit.TimedOut);
    }

    [Fact]
    public async Task Spawn_NonZeroExit_ReportsExitCode()
    {
        var result = await SpawnAsync(["sh", "-c", "echo oops >&2; exit 3"]);

        Assert.Equal(3, result.Exit.ExitCode);
        Assert.Equal("oops\n", result.StderrText);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task Spawn_KilledBySignal_ReportsSignalName()
    {
        var result = await SpawnAsync(["sh", "-c", "kill -9 $$"]);

        Assert.Null(result.Exit.ExitCode);
        Assert.Equal("SIGKILL", result.Exit.Signal);
    }

    [Fact]
    public async Task Spawn_Environment_BuiltFromScratchWithRequestOnTop()
    {
        var result = await Client.SendAsync(new AgentSpawn
        {
            Argv = ["sh", "-c", "echo \"$HOME|$LANG|$FOO|$DOTNET_ROOT\"; pwd"],
            Env = new Dictionary<string, string> { ["FOO"] = "bar" },
        }, Token);

        Assert.Equal($"{Agent.Workspace}|C.UTF-8|bar|\n{Agent.Workspace}\n", result.StdoutText);
    }

    [Fact]
    public async Task Spawn_FileDescriptors_OnlyStdioInherited()
    {
        var result = await SpawnAsync(["sh", "-c", "ls /proc/$$/fd"]);

        Assert.Equal(["0", "1", "2"], result.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Spawn_UnknownProgram_ReturnsSpawnFailed()
    {
        var result = await SpawnAsync(["no-such-program-cordon"]);

        var error = Assert.IsType<AgentError>(result.Reply);
        Assert.Equal(AgentErrorCodes.SpawnFailed, error.Code);
        Assert.Contains("no-such-program-cordon", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spawn_Timeout_KillsProgramQuickly()
    {
        var clock = Stopwatch.StartNew();

        var result = await SpawnAsync(["sleep", "10"], timeoutMs: 500);

        Assert.True(result.Exit.TimedOut);
        Assert.Equal("SIGKILL", result.Exit.Signal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Spawn_OutputLimit_CutsExactlyAtLimit()
    {
        const int Limit = 1024 * 1024;

        var result = await SpawnAsync(["sh", "-c", "yes | head -c 10000000"], outputBytes: Limit);

        Assert.Equal(Limit, result.Stdout.Length);
        Assert.True(result.Exit.OutputLimited);
        Assert.True(result.Exit.StdoutTruncated);
        Assert.False(result.Exit.StderrTruncated);
    }

    [Fact]
    public async Task Spawn_LargeOutput_DeliveredCompletelyAfterExit()
    {
        var result = await SpawnAsync(["sh", "-c", "head -c 5000000 /dev/zero; head -c 300000 /dev/zero >&2"]);

        Assert.Equal(5_000_000, result.Stdout.Length);
        Assert.Equal(300_000, result.Stderr.Length);
        Assert.False(result.Exit.OutputLimited);
    }

    [Fact]
    public async Task Spawn_BackgroundProcess_IsKilledWhenRequestEnds()
    {
        var result = await SpawnAsync(["sh", "-c", "sleep 100 & echo $!"]);
        var pid = int.Parse(result.StdoutText.Trim(), CultureInfo.InvariantCulture);

        Assert.Equal(0, result.Exit.ExitCode);
        Assert.True(await WaitUntilDeadAsync(pid, TimeSpan.FromSeconds(2)), $"pid {pid} survived the request");
    }

    [Fact]
    public async Task Spawn_NewSessionEscape_IsKilledWhenRequestEnds()
    {
        var result = await SpawnAsync(["sh", "-c", "setsid sh -c 'echo $$ > bg.pid; exec sleep 100' >/dev/null 2>&1 & while [ ! -s bg.pid ]; do sleep 0.05; done; cat bg.pid"]);
        var pid = int.Parse(result.StdoutText.Trim(), CultureInfo.InvariantCulture);

        Assert.True(await WaitUntilDeadAsync(pid, TimeSpan.FromSeconds(2)), $"pid {pid} survived the request");
    }

    [Fact]
    public async Task Spawn_ConnectionClosed_KillsProgram()
    {
        int pid;
        await using (var connection = await Client.ConnectAsync(Token))
        {
            var request = new AgentSpawn { Argv = ["sh", "-c", "echo $$; exec sleep 100"] };
            await AgentFrame.WriteAsync(connection, AgentFrameKind.Message, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes<AgentRequest>(request, AgentJsonContext.Default.AgentRequest), Token);
            var frame = await AgentFrame.ReadAsync(connection, Token);
            Assert.Equal(AgentFrameKind.Stdout, frame!.Value.Kind);
            pid = int.Parse(Encoding.UTF8.GetString(frame.Value.Payload.Span).Trim(), CultureInfo.InvariantCulture);
            Assert.True(IsAlive(pid));
        }

        Assert.True(await WaitUntilDeadAsync(pid, TimeSpan.FromSeconds(5)), $"pid {pid} survived the hang-up");
    }

    [Fact]
    public async Task Spawn_Concurrent_RequestsDoNotKillEachOther()
    {
        var slow = SpawnAsync(["sh", "-c", "sleep 1; echo slow"]);
        await Task.Delay(200, Token);
        var fast = await SpawnAsync(["sh", "-c", "echo fast"]);

        Assert.Equal("fast\n", fast.StdoutText);
        Assert.Equal("slow\n", (await slow).StdoutText);
        Assert.Equal(0, (await slow).Exit.ExitCode);
    }

    [Fact]
    public async Task Spawn_OptionalMembersOmitted_UsesDefaults()
    {
        await using var connection = await Client.ConnectAsync(Token);
        await AgentFrame.WriteAsync(connection, AgentFrameKind.Message, """{"type":"spawn","argv":["sh","-c","pwd"]}"""u8.ToArray(), Token);

        var result = await AgentClient.ReadResultAsync(connection, Token);

        Assert.Equal($"{Agent.Workspace}\n", result.StdoutText);
        Assert.Equal(0, result.Exit.ExitCode);
    }

    [Fact]
    public async Task Spawn_RunnerHalfCloses_RequestStillCompletes()
    {
        await using var connection = await Client.ConnectAsync(Token);
        var request = new AgentSpawn { Argv = ["sh", "-c", "sleep 0.3; echo done"] };
        await AgentFrame.WriteAsync(connection, AgentFrameKind.Message, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes<AgentRequest>(request, AgentJsonContext.Default.AgentRequest), Token);
        connection.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);

        var result = await AgentClient.ReadResultAsync(connection, Token);

        Assert.Equal("done\n", result.StdoutText);
        Assert.Equal(0, result.Exit.ExitCode);
    }
}
