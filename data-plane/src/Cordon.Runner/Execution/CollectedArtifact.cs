namespace Cordon.Runner.Execution;

/// <summary>A workspace file collected after a job, with its lower-case hex SHA-256.</summary>
internal sealed record CollectedArtifact(string Path, byte[] Content, string Sha256);
