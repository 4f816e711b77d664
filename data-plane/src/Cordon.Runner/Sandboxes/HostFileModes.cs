namespace Cordon.Runner.Sandboxes;

/// <summary>The modes of the runner's host-side files: nothing of it readable by sandbox uids or other users.</summary>
internal static class HostFileModes
{
    /// <summary>0711: the owner's; others (the sandbox uids mounting their binds) may only pass through.</summary>
    public const UnixFileMode Traverse = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>0755: a directory bound into a sandbox whose entries its uids use (the egress proxy's socket).</summary>
    public const UnixFileMode Shared = Traverse | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>0700.</summary>
    public const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>0600.</summary>
    public const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates an empty file with mode 0600 from the start (never written first and chmod-ed after).</summary>
    public static void CreatePrivateFile(string path)
    {
        using var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = PrivateFile });
    }
}
