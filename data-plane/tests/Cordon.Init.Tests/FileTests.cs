using System.Text;
using Cordon.Contracts.Runner.Agent;

namespace Cordon.Init.Tests;

public sealed class FileTests : AgentTestBase
{
    [Fact]
    public async Task Files_WriteReadListDelete_RoundTrip()
    {
        var content = "print('hi')\n"u8.ToArray();

        var written = await Client.SendAsync<AgentOk>(new AgentWriteFile { Path = "src/app/main.py", Content = content }, Token);
        var read = await Client.SendAsync<AgentFileContent>(new AgentReadFile { Path = "src/app/main.py" }, Token);
        var list = await Client.SendAsync<AgentFileList>(new AgentListFiles(), Token);
        await Client.SendAsync<AgentOk>(new AgentDeleteFile { Path = "src" }, Token);
        var after = await Client.SendAsync<AgentFileList>(new AgentListFiles(), Token);

        Assert.NotNull(written);
        Assert.Equal(content, read.Content);
        Assert.Equal(["src", "src/app", "src/app/main.py"], list.Entries.Select(e => e.Path).ToArray());
        Assert.Equal(content.Length, list.Entries[2].Size);
        Assert.True(list.Entries[0].IsDirectory);
        Assert.False(list.Entries[2].IsDirectory);
        Assert.True(list.Entries[2].ModifiedAtUnixMs > 0);
        Assert.Empty(after.Entries);
    }

    [Fact]
    public async Task Files_WriteExisting_Truncates()
    {
        await Client.SendAsync<AgentOk>(new AgentWriteFile { Path = "a.txt", Content = "long content"u8.ToArray() }, Token);
        await Client.SendAsync<AgentOk>(new AgentWriteFile { Path = "a.txt", Content = "short"u8.ToArray() }, Token);

        var read = await Client.SendAsync<AgentFileContent>(new AgentReadFile { Path = "a.txt" }, Token);

        Assert.Equal("short", Encoding.UTF8.GetString(read.Content));
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("/etc/passwd")]
    [InlineData("a/../../x")]
    [InlineData("a//b")]
    [InlineData("a\0b")]
    public async Task Files_PathAttack_ReturnsInvalidPath(string path)
    {
        var read = await Client.SendAsync<AgentError>(new AgentReadFile { Path = path }, Token);
        var write = await Client.SendAsync<AgentError>(new AgentWriteFile { Path = path, Content = [1] }, Token);
        var delete = await Client.SendAsync<AgentError>(new AgentDeleteFile { Path = path }, Token);

        Assert.Equal(AgentErrorCodes.InvalidPath, read.Code);
        Assert.Equal(AgentErrorCodes.InvalidPath, write.Code);
        Assert.Equal(AgentErrorCodes.InvalidPath, delete.Code);
    }

    [Fact]
    public async Task Files_SymlinkLeadingOut_ReturnsInvalidPath()
    {
        File.CreateSymbolicLink(Path.Join(Agent.Workspace, "link"), "/etc");

        var read = await Client.SendAsync<AgentError>(new AgentReadFile { Path = "link/passwd" }, Token);
        var write = await Client.SendAsync<AgentError>(new AgentWriteFile { Path = "link/cordon-test", Content = [1] }, Token);
        var list = await Client.SendAsync<AgentError>(new AgentListFiles { Path = "link" }, Token);

        Assert.Equal(AgentErrorCodes.InvalidPath, read.Code);
        Assert.Equal(AgentErrorCodes.InvalidPath, write.Code);
        Assert.Equal(AgentErrorCodes.InvalidPath, list.Code);
        Assert.False(File.Exists("/etc/cordon-test"));
    }

    [Fact]
    public async Task Files_WriteThroughFinalSymlink_IsRefused()
    {
        var outside = Path.Join(Path.GetDirectoryName(Agent.Workspace), "outside.txt");
        File.CreateSymbolicLink(Path.Join(Agent.Workspace, "evil"), outside);

        var write = await Client.SendAsync<AgentError>(new AgentWriteFile { Path = "evil", Content = [1] }, Token);

        Assert.Equal(AgentErrorCodes.InvalidPath, write.Code);
        Assert.False(File.Exists(outside));
    }

    [Fact]
    public async Task Files_ListWithSymlink_ReportsLinkWithoutFollowing()
    {
        File.CreateSymbolicLink(Path.Join(Agent.Workspace, "link"), "/etc");

        var list = await Client.SendAsync<AgentFileList>(new AgentListFiles(), Token);

        var entry = Assert.Single(list.Entries);
        Assert.Equal("link", entry.Path);
        Assert.False(entry.IsDirectory);
        Assert.Equal("/etc".Length, entry.Size);
    }

    [Fact]
    public async Task Files_ReadMissing_ReturnsNotFound()
    {
        var error = await Client.SendAsync<AgentError>(new AgentReadFile { Path = "missing.txt" }, Token);

        Assert.Equal(AgentErrorCodes.NotFound, error.Code);
    }

    [Fact]
    public async Task Files_ReadOverMaxBytes_ReturnsTooLarge()
    {
        await Client.SendAsync<AgentOk>(new AgentWriteFile { Path = "big.bin", Content = new byte[1000] }, Token);

        var error = await Client.SendAsync<AgentError>(new AgentReadFile { Path = "big.bin", MaxBytes = 999 }, Token);

        Assert.Equal(AgentErrorCodes.TooLarge, error.Code);
    }

    [Fact]
    public async Task Files_DeleteRoot_IsRefused()
    {
        var error = await Client.SendAsync<AgentError>(new AgentDeleteFile { Path = "" }, Token);

        Assert.Equal(AgentErrorCodes.InvalidPath, error.Code);
        Assert.True(Directory.Exists(Agent.Workspace));
    }

    [Fact]
    public async Task Files_DeleteMissing_ReturnsNotFound()
    {
        var error = await Client.SendAsync<AgentError>(new AgentDeleteFile { Path = "nope" }, Token);

        Assert.Equal(AgentErrorCodes.NotFound, error.Code);
    }
}
