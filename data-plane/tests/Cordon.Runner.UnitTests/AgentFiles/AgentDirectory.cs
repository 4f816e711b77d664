using Cordon.Init.Native;

namespace Cordon.Runner.UnitTests.AgentFiles;

/// <summary>A temporary workspace on the host's real file system, with an O_PATH fd of it as the agent holds one.</summary>
internal sealed class AgentDirectory : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("cordon-agent-files-");

    public AgentDirectory()
    {
        Workspace = Directory.CreateDirectory(Path.Combine(_root.FullName, "ws")).FullName;
        Outside = Directory.CreateDirectory(Path.Combine(_root.FullName, "outside")).FullName;
        File.WriteAllText(Path.Combine(Outside, "secret"), "outside");
        Fd = OpenPath(Workspace);
    }

    public string Workspace { get; }

    /// <summary>A directory next to the workspace: nothing may read or create anything in it through the workspace.</summary>
    public string Outside { get; }

    public int Fd { get; }

    public static int OpenPath(string directory)
    {
        var fd = Libc.open(directory, Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        return fd >= 0 ? fd : throw new IOException($"open {directory}: errno {Libc.Errno}");
    }

    public string Put(string relative, string content = "x")
    {
        var path = Path.Combine(Workspace, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Link(string relative, string target) => File.CreateSymbolicLink(Path.Combine(Workspace, relative), target);

    public void Dispose()
    {
        Libc.close(Fd);
        _root.Delete(recursive: true);
    }
}
