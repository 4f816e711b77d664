namespace Cordon.Runner.Sandboxes;

/// <summary>No live sandbox has that id.</summary>
internal sealed class SandboxNotFoundException(string id) : Exception($"sandbox {id} does not exist");
