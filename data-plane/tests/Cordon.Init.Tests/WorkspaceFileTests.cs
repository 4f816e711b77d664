using Cordon.Contracts.Runner.Agent;

namespace Cordon.Init.Tests;

public sealed class WorkspaceFileTests : IAsyncLifetime
{
    private AgentHost _agent = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _agent = await AgentHost.StartAsync(Token);

    public ValueTask DisposeAsync() => _agent.DisposeAsync();

    [Fact]
    public async Task Files_WriteReadListDelete_RoundTrip()
    {
        var write = await _agent.CallAsync(new AgentWriteFile { Path = "src/lib/util.py", Content = "X = 1\n"u8.ToArray() }, Token);
        var read = await _agent.CallAsync(new AgentReadFile { Path = "src/lib/util.py" }, Token);
        var list = await _agent.CallAsync(new AgentListFiles(), Token);
        var delete = await _agent.CallAsync(new AgentDeleteFile { Path = "src" }, Token);
        var gone = await _agent.CallAsync(new AgentReadFile { Path = "src/lib/util.py" }, Token);

        Assert.IsType<AgentOk>(write.Reply);
        Assert.Equal("X = 1\n"u8.ToArray(), Assert.IsType<AgentFileContent>(read.Reply).Content);
        var entries = Assert.IsType<AgentFileList>(list.Reply).Entries;
        Assert.Contains(entries, e => e is { Path: "src/lib", IsDirectory: true });
        Assert.Contains(entries, e => e is { Path: "src/lib/util.py", Size: 6, IsDirectory: false });
        Assert.IsType<AgentOk>(delete.Reply);
        Assert.Equal(AgentErrorCodes.NotFound, Assert.IsType<AgentError>(gone.Reply).Code);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("/etc/passwd")]
    [InlineData("a/../../escape")]
    [InlineData("ok/\0nul")]
    public async Task Files_PathLeavingTheWorkspace_IsInvalidPath(string path)
    {
        var write = await _agent.CallAsync(new AgentWriteFile { Path = path, Content = [1] }, Token);
        var read = await _agent.CallAsync(new AgentReadFile { Path = path }, Token);

        Assert.Equal(AgentErrorCodes.InvalidPath, Assert.IsType<AgentError>(write.Reply).Code);
        Assert.Equal(AgentErrorCodes.InvalidPath, Assert.IsType<AgentError>(read.Reply).Code);
    }

    [Fact]
    public async Task Files_SymlinkPointingOutside_IsRefused()
    {
        File.CreateSymbolicLink(Path.Combine(_agent.Workspace, "etc-link"), "/etc");
        File.CreateSymbolicLink(Path.Combine(_agent.Workspace, "passwd-link"), "/etc/passwd");

        var throughDirectory = await _agent.CallAsync(new AgentReadFile { Path = "etc-link/passwd" }, Token);
        var direct = await _agent.CallAsync(new AgentReadFile { Path = "passwd-link" }, Token);
        var writeThrough = await _agent.CallAsync(new AgentWriteFile { Path = "etc-link/cordon-test", Content = [1] }, Token);

        Assert.Equal(AgentErrorCodes.InvalidPath, Assert.IsType<AgentError>(throughDirectory.Reply).Code);
        Assert.Equal(AgentErrorCodes.InvalidPath, Assert.IsType<AgentError>(direct.Reply).Code);
        Assert.Equal(AgentErrorCodes.InvalidPath, Assert.IsType<AgentError>(writeThrough.Reply).Code);
        Assert.False(File.Exists("/etc/cordon-test"));
    }

    [Fact]
    public async Task Files_ReadOverTheLimit_IsTooLarge()
    {
        await _agent.CallAsync(new AgentWriteFile { Path = "big", Content = new byte[4096] }, Token);

        var read = await _agent.CallAsync(new AgentReadFile { Path = "big", MaxBytes = 1024 }, Token);

        Assert.Equal(AgentErrorCodes.TooLarge, Assert.IsType<AgentError>(read.Reply).Code);
    }
}
