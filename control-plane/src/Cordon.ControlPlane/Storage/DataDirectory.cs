namespace Cordon.ControlPlane.Storage;

/// <summary>
/// The control plane's data directory: <c>CORDON_DATA_DIR</c> (or <c>Cordon:DataDir</c>), default <c>./.cordon</c>.
/// Holds the SQLite database, artifacts and, in Development, the local signing key.
/// </summary>
internal sealed class DataDirectory(string path)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public static DataDirectory FromConfiguration(IConfiguration configuration) =>
        new(configuration["Cordon:DataDir"] is { Length: > 0 } configured ? configured
            : configuration["CORDON_DATA_DIR"] is { Length: > 0 } fromEnvironment ? fromEnvironment
            : ".cordon");
}
