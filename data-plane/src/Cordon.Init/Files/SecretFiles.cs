using Cordon.Contracts.Runner.Agent;

namespace Cordon.Init.Files;

/// <summary>
/// The sandbox's file secrets under <c>/run/secrets</c>, a tmpfs of its own the runner mounts 0700 for the job's uid.
/// Written once, under the job's file ids (the files are the job's, the agent needs no capability): each file is new
/// (O_EXCL, so nothing already there is followed or overwritten) and 0400, then the directory is sealed 0500.
/// </summary>
internal sealed class SecretFiles(string root)
{
    public const string DefaultRoot = "/run/secrets";

    private const UnixFileMode SecretMode = UnixFileMode.UserRead;
    private const UnixFileMode OpenDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode SealedDirectory = UnixFileMode.UserRead | UnixFileMode.UserExecute;

    public void Write(IReadOnlyList<AgentSecretFile> files)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("cordon-init runs on Linux only");
        }

        if (!Directory.Exists(root))
        {
            throw new AgentFileException(AgentErrorCodes.NotFound, $"{root} is not mounted in this sandbox");
        }

        File.SetUnixFileMode(root, OpenDirectory);
        try
        {
            foreach (var file in files)
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, UnixCreateMode = SecretMode };
                using var stream = new FileStream(Path.Combine(root, file.Name), options);
                stream.Write(file.Content);
            }
        }
        finally
        {
            File.SetUnixFileMode(root, SealedDirectory);
        }
    }
}
