using Cordon.ControlPlane;
using Cordon.ControlPlane.Mcp;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);
builder.AddControlPlane();
builder.AddCordonMcp();
var app = builder.Build();
app.MapControlPlane();
app.MapCordonMcp();
try
{
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException ex)
{
    // Refused configuration (e.g. auth bypass in Production): say why and exit non-zero, without a stack trace.
    await Console.Error.WriteLineAsync("cordon-control: refusing to start: " + string.Join(" ", ex.Failures));
    return 2;
}

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
