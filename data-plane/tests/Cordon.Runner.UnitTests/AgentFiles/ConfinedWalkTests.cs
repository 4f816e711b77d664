using System.Runtime.InteropServices;
using Cordon.Init.Files;
using Cordon.Init.Native;

namespace Cordon.Runner.UnitTests.AgentFiles;

/// <summary>The openat2 fallback (gVisor) on real directories with symlink traps: every way out is refused.</summary>
public sealed class ConfinedWalkTests : IDisposable
{
    private readonly AgentDirectory _dir = new();

    public ConfinedWalkTests()
    {
        _dir.Put("a.txt", "inside");
        _dir.Put("sub/deeper/b.txt", "deep");
        _dir.Link("out-dir", _dir.Outside);
        _dir.Link("out-file", Path.Combine(_dir.Outside, "secret"));
        _dir.Link("in-file", "a.txt");
        _dir.Link("sub/up", "..");
        _dir.Link("abs-etc", "/etc");
        _dir.Link("magic", "/proc/self/root");
        _dir.Link("dangling", Path.Combine(_dir.Outside, "created-through-link"));
    }

    [Theory]
    [InlineData("a.txt", "inside")]
    [InlineData("sub/deeper/b.txt", "deep")]
    [InlineData("./sub//deeper/./b.txt", "deep")]
    public void Open_PathInside_OpensTheFile(string path, string content)
    {
        var fd = ConfinedWalk.Open(_dir.Fd, path, Libc.O_RDONLY);

        Assert.True(fd >= 0, $"errno {-fd}");
        using var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
        var buffer = new byte[64];
        var read = RandomAccess.Read(handle, buffer, 0);
        Assert.Equal(content, System.Text.Encoding.UTF8.GetString(buffer, 0, read));
    }

    [Theory]
    [InlineData("out-dir/secret", Libc.ELOOP)]
    [InlineData("out-file", Libc.ELOOP)]
    [InlineData("in-file", Libc.ELOOP)] // stricter than openat2: no symlink is followed at all
    [InlineData("sub/up/a.txt", Libc.ELOOP)]
    [InlineData("abs-etc/passwd", Libc.ELOOP)]
    [InlineData("magic/etc/passwd", Libc.ELOOP)]
    [InlineData("../outside/secret", Libc.EXDEV)]
    [InlineData("sub/../../outside/secret", Libc.EXDEV)]
    [InlineData("a.txt/x", Libc.ENOTDIR)]
    [InlineData("missing/x", Libc.ENOENT)]
    public void Open_WayOut_IsRefused(string path, int errno)
    {
        var fd = ConfinedWalk.Open(_dir.Fd, path, Libc.O_RDONLY);

        if (fd >= 0)
        {
            Libc.close(fd);
        }

        Assert.Equal(-errno, fd);
    }

    [Theory]
    [InlineData("dangling")]
    [InlineData("out-dir/new")]
    [InlineData("sub/up/new")]
    public void Open_CreateThroughALink_CreatesNothing(string path)
    {
        var fd = ConfinedWalk.Open(_dir.Fd, path, Libc.O_WRONLY | Libc.O_CREAT, 420);

        Assert.True(fd < 0);
        Assert.Equal([Path.Combine(_dir.Outside, "secret")], Directory.EnumerateFileSystemEntries(_dir.Outside));
        Assert.False(File.Exists(Path.Combine(_dir.Workspace, "new")));
    }

    [Fact]
    public void Open_Create_MakesTheFileInside()
    {
        var fd = ConfinedWalk.Open(_dir.Fd, "sub/new.txt", Libc.O_WRONLY | Libc.O_CREAT, 420);

        Assert.True(fd >= 0, $"errno {-fd}");
        Libc.close(fd);
        Assert.True(File.Exists(Path.Combine(_dir.Workspace, "sub/new.txt")));
    }

    [Theory]
    [InlineData("proc/version")] // procfs
    [InlineData("proc/self/status")]
    [InlineData("dev/null")] // devtmpfs
    public void Open_AnotherMount_IsRefused(string path)
    {
        // From the host's root, /proc and /dev are other file systems: the walk stops at the device change.
        var root = AgentDirectory.OpenPath("/");
        try
        {
            Assert.Equal(-Libc.EXDEV, ConfinedWalk.Open(root, path, Libc.O_RDONLY));
        }
        finally
        {
            Libc.close(root);
        }
    }

    [Fact]
    public void Open_Fifo_DoesNotBlockWithNonblock()
    {
        Assert.Equal(0, mkfifo(Path.Combine(_dir.Workspace, "pipe"), 420));

        var fd = ConfinedWalk.Open(_dir.Fd, "pipe", Libc.O_RDONLY | Libc.O_NONBLOCK);

        Assert.True(fd >= 0, $"errno {-fd}");
        Assert.Equal(0, FileSyscalls.Status(fd, out var status));
        Assert.Equal("a FIFO", status.Describe());
        Libc.close(fd);
    }

    [Fact]
    public void Open_Workspace_IsTheDirectory()
    {
        var fd = ConfinedWalk.Open(_dir.Fd, "", Libc.O_RDONLY | Libc.O_DIRECTORY);

        Assert.True(fd >= 0, $"errno {-fd}");
        Assert.Equal(0, FileSyscalls.Status(fd, out var status));
        Assert.True(status.IsDirectory);
        Libc.close(fd);
    }

    public void Dispose() => _dir.Dispose();

    [DllImport("libc", SetLastError = true)]
    private static extern int mkfifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);
}
