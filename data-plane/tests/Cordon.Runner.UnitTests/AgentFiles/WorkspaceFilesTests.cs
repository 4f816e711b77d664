using System.Runtime.InteropServices;
using Cordon.Contracts.Runner.Agent;
using Cordon.Init.Files;

namespace Cordon.Runner.UnitTests.AgentFiles;

/// <summary>The agent's file operations on a real directory: FIFOs, long names, rewrites.</summary>
public sealed class WorkspaceFilesTests : IDisposable
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);
    private readonly AgentDirectory _dir = new();
    private readonly WorkspaceFiles _files;

    public WorkspaceFilesTests() => _files = new WorkspaceFiles(_dir.Workspace);

    [Fact]
    public async Task Read_Fifo_IsRefusedAtOnce()
    {
        Assert.Equal(0, mkfifo(Path.Combine(_dir.Workspace, "out.png"), 420));

        var read = Task.Run(() => _files.Read("out.png", 0), TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<AgentFileException>(() => read.WaitAsync(Prompt, TestContext.Current.CancellationToken));
        Assert.Equal(AgentErrorCodes.NotAFile, error.Code);
        Assert.Equal("'out.png' is a FIFO, not a regular file", error.Message);
    }

    [Fact]
    public async Task Write_OverAFifo_IsRefusedAtOnce()
    {
        Assert.Equal(0, mkfifo(Path.Combine(_dir.Workspace, "pipe"), 420));

        var write = Task.Run(() => _files.Write("pipe", [1, 2, 3], 0), TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<AgentFileException>(() => write.WaitAsync(Prompt, TestContext.Current.CancellationToken));
        Assert.Equal(AgentErrorCodes.NotAFile, error.Code);
    }

    [Fact]
    public void Write_ExistingFile_ReplacesItsContent()
    {
        _files.Write("a.txt", "a longer first version"u8.ToArray(), 0);

        _files.Write("a.txt", "short"u8.ToArray(), 0);

        Assert.Equal("short"u8.ToArray(), _files.Read("a.txt", 0));
    }

    [Theory]
    [InlineData(256, 1)]
    [InlineData(200, 21)] // each name fits, the whole path does not
    public void Write_NameTooLong_SaysSo(int nameLength, int depth)
    {
        var path = string.Join('/', Enumerable.Repeat(new string('n', nameLength), depth));

        var error = Assert.Throws<AgentFileException>(() => _files.Write(path, [1], 0));

        Assert.Equal(AgentErrorCodes.NameTooLong, error.Code);
        Assert.True(error.Message.Length < 300, "the message quotes a shortened path");
    }

    [Fact]
    public void Read_SymlinkedFile_IsRefused()
    {
        _dir.Link("passwd", "/etc/passwd");

        Assert.Throws<WorkspacePathException>(() => _files.Read("passwd", 0));
    }

    public void Dispose()
    {
        _files.Dispose();
        _dir.Dispose();
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int mkfifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);
}
