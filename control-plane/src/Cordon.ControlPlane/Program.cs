using Cordon.ControlPlane;
using Cordon.ControlPlane.Mcp;
using Cordon.ControlPlane.Service;

// Data written by the control plane (database, WAL, keys, artifacts) is the owner's alone.
StartupGuards.RestrictFileModes();
var oomGap = StartupGuards.ProtectFromOomKiller();
try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddControlPlane();
    builder.AddCordonMcp();
    var app = builder.Build();
    if (oomGap is not null)
    {
        StartupLog.OomScoreNotLowered(app.Logger, oomGap);
    }

    app.MapControlPlane();
    app.MapCordonMcp();
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (StartupGuards.RefusalMessage(ex) is { } message)
{
    // Refused configuration (e.g. auth bypass outside Development): say why and exit non-zero, without a stack trace.
    await Console.Error.WriteLineAsync("cordon-control: refusing to start: " + message);
    return 2;
}

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
