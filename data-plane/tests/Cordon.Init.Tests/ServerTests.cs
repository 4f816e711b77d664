using System.Buffers.Binary;
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
}
