using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Cordon.Contracts.Runner.Agent;

namespace Cordon.Init.Tests;

public sealed class ServerTests : AgentTestBase
{
    [Fact]
    public async Task Health_Query_ReportsProtocolVersion()
    {
        var health = await Client.SendAsync<AgentHealth>(new AgentHealthQuery(), Token);

        Assert.Equal(AgentFrame.ProtocolVersion, health.ProtocolVersion);
        Assert.False(string.IsNullOrEmpty(health.Version));
        Assert.True(health.UptimeMs >= 0);
    }

    [Fact]
    public async Task Connection_MalformedJson_RepliesBadRequestAndKeepsServing()
    {
        await using (var connection = await Client.ConnectAsync(Token))
        {
            await AgentFrame.WriteAsync(connection, AgentFrameKind.Message, "{\"type\":\"nope\""u8.ToArray(), Token);
            var result = await AgentClient.ReadResultAsync(connection, Token);
            Assert.Equal(AgentErrorCodes.BadRequest, Assert.IsType<AgentError>(result.Reply).Code);
        }

        var health = await Client.SendAsync<AgentHealth>(new AgentHealthQuery(), Token);
        Assert.Equal(AgentFrame.ProtocolVersion, health.ProtocolVersion);
    }

    [Fact]
    public async Task Connection_OversizedFrame_RepliesBadRequestAndKeepsServing()
    {
        await using (var connection = await Client.ConnectAsync(Token))
        {
            var header = new byte[5];
            BinaryPrimitives.WriteUInt32BigEndian(header, uint.MaxValue);
            header[4] = (byte)AgentFrameKind.Message;
            await connection.WriteAsync(header, Token);
            var result = await AgentClient.ReadResultAsync(connection, Token);
            Assert.Equal(AgentErrorCodes.BadRequest, Assert.IsType<AgentError>(result.Reply).Code);
        }

        var health = await Client.SendAsync<AgentHealth>(new AgentHealthQuery(), Token);
        Assert.Equal(AgentFrame.ProtocolVersion, health.ProtocolVersion);
    }

    [Fact]
    public async Task Connection_StdoutFrameAsRequest_RepliesBadRequest()
    {
        await using var connection = await Client.ConnectAsync(Token);
        await AgentFrame.WriteAsync(connection, AgentFrameKind.Stdout, "hi"u8.ToArray(), Token);

        var result = await AgentClient.ReadResultAsync(connection, Token);

        Assert.Equal(AgentErrorCodes.BadRequest, Assert.IsType<AgentError>(result.Reply).Code);
    }

    [Fact]
    public async Task Agent_Sigterm_KillsProgramsAndExitsZero()
    {
        await using var connection = await Client.ConnectAsync(Token);
        var request = new AgentSpawn { Argv = ["sh", "-c", "echo $$; exec sleep 100"] };
        await AgentFrame.WriteAsync(connection, AgentFrameKind.Message, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes<AgentRequest>(request, AgentJsonContext.Default.AgentRequest), Token);
        var frame = await AgentFrame.ReadAsync(connection, Token);
        var pid = int.Parse(Encoding.UTF8.GetString(frame!.Value.Payload.Span).Trim(), CultureInfo.InvariantCulture);

        var exitCode = await Agent.TerminateAsync(Token);

        Assert.Equal(0, exitCode);
        Assert.True(await WaitUntilDeadAsync(pid, TimeSpan.FromSeconds(2)), $"pid {pid} outlived the agent");
    }
}
