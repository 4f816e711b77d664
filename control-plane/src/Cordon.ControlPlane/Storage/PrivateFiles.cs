namespace Cordon.ControlPlane.Storage;

/// <summary>
/// The control plane's data on the host is its own: directories 0700 and files 0600, set when they are created (no
/// window in which a file exists with the umask's mode), and tightened on start-up when an older version left them
/// readable. The data directory itself may keep its execute bits (at most 0711): a runner may keep its own data
/// below it (<c>scripts/run.sh</c> does), and sandbox uids must traverse to that.
/// </summary>
internal static class PrivateFiles
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode GroupAndOtherReadWrite =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    /// <summary>Creates the data directory 0700, or takes group and other read/write off an existing one.</summary>
    public static void EnsureDataDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, DirectoryMode);
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupAndOtherReadWrite) != 0)
        {
            File.SetUnixFileMode(path, mode & ~GroupAndOtherReadWrite);
        }
    }

    /// <summary>Creates a directory below the data directory (and any missing parents) 0700; an existing one is made 0700.</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        var missing = new Stack<string>();
        for (var current = Path.GetFullPath(path); !Directory.Exists(current); current = Path.GetDirectoryName(current)!)
        {
            missing.Push(current);
        }

        while (missing.TryPop(out var directory))
        {
            Directory.CreateDirectory(directory, DirectoryMode);
        }

        Tighten(path, DirectoryMode);
    }

    /// <summary>A new file, 0600 from the start; fails if it exists.</summary>
    public static FileStream Create(string path)
    {
        var options = new FileStreamOptions
        {
            Mode = System.IO.FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        return new FileStream(path, options);
    }

    /// <summary>Makes an existing file or directory <paramref name="mode"/> if it is anything looser; a missing one is fine.</summary>
    public static void Tighten(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows() || !Path.Exists(path))
        {
            return;
        }

        if (File.GetUnixFileMode(path) != mode)
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    /// <summary>
    /// The SQLite database file: created empty with 0600 before SQLite opens it (SQLite gives its <c>-wal</c> and
    /// <c>-shm</c> files the database file's mode), or, when it exists, made 0600 with its companions.
    /// </summary>
    public static void EnsureSqliteFile(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (!File.Exists(path))
        {
            if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory && !Directory.Exists(directory))
            {
                CreateDirectory(directory);
            }

            try
            {
                using (Create(path))
                {
                }
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process made it first: tightened below like any existing file.
            }
        }

        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            Tighten(file, FileMode);
        }
    }
}
