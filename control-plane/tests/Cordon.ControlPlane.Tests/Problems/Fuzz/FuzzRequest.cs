namespace Cordon.ControlPlane.Tests.Problems.Fuzz;

/// <summary>One generated request: what was sent, and the top-level field a 400 must name when the mutation targeted one.</summary>
internal sealed record FuzzRequest(
    string Description,
    HttpMethod Method,
    string Path,
    byte[]? Body = null,
    string? ContentType = "application/json",
    bool Chunked = false,
    bool IsMcp = false,
    string? FieldToName = null);
