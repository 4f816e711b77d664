namespace Cordon.Init.Files;

/// <summary>A request named a path outside the workspace, or an unusable one.</summary>
internal sealed class WorkspacePathException(string message) : Exception(message);
