namespace Cordon.ControlPlane.Scheduling;

/// <summary>One runner the control plane may place work on (<c>Cordon:Runners:N</c>).</summary>
internal sealed class RunnerEndpointOptions
{
    /// <summary>A stable name; default <c>runner-N</c>.</summary>
    public string? Id { get; set; }

    /// <summary>The runner's gRPC address, e.g. <c>http://127.0.0.1:7070</c> (h2c).</summary>
    public string Url { get; set; } = "";

    /// <summary>The shared service token the runner expects (<c>Cordon:Runner:ServiceToken</c> on its side).</summary>
    public string? Token { get; set; }
}
