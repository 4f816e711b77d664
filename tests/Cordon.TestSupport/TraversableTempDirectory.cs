namespace Cordon.TestSupport;

/// <summary>Fresh temporary directories a runner can keep its data in.</summary>
public static class TraversableTempDirectory
{
    private const UnixFileMode Mode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>
    /// Creates <c>/tmp/&lt;prefix&gt;XXXXXX</c> with mode 0711, not mkdtemp's 0700: sandbox processes run as mapped
    /// uids and must traverse it to reach the runner's root filesystem below, without being able to list it.
    /// </summary>
    public static string Create(string prefix)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Sandboxes run on Linux only.");
        }

        var directory = Directory.CreateTempSubdirectory(prefix);
        directory.UnixFileMode = Mode;
        return directory.FullName;
    }

    /// <summary>Deletes a directory created here; sandbox leftovers a runner could not remove never fail a test.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The next runner start reaps what is left; the test's result does not depend on it.
        }
    }
}
