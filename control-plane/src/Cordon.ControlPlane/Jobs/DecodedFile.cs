namespace Cordon.ControlPlane.Jobs;

/// <summary>A file of a job request with a checked path and its content as bytes.</summary>
internal sealed record DecodedFile(string Path, byte[] Content);
