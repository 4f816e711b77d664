using Cordon.Runner.Hosting;

namespace Cordon.Runner.UnitTests.Hosting;

/// <summary><c>serve</c> in-process with a bad setting: it stops before doing anything, with the validator's words.</summary>
public sealed class RunnerServerTests
{
    [Theory]
    [InlineData("--Cordon:Runner:Capacity=-1", "The field Capacity must be between 0 and 4096.")]
    [InlineData("--Cordon:Runner:UidBase=5", "The field UidBase must be between 65536 and")]
    [InlineData("--Cordon:Runner:RuntimesPath=/no/registry", "Cordon:Runner:RuntimesPath '/no/registry' has no defaults.json")]
    [InlineData("--Cordon:Runner:OciRuntime=", "The OciRuntime field is required.")]
    public async Task RunAsync_BadSetting_ReturnsInvalidConfigurationWithTheMessage(string setting, string message)
    {
        var root = Directory.CreateTempSubdirectory("cordon-serve-");
        var dataDirectory = Path.Combine(root.FullName, "data");
        using var error = new StringWriter();

        var exitCode = await RunnerServer.RunAsync([setting, $"--Cordon:Runner:DataDir={dataDirectory}", "--urls", "http://127.0.0.1:0"], error);

        Assert.Equal(StartupFailure.InvalidConfiguration, exitCode);
        Assert.StartsWith("cordon-runner: invalid configuration: ", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(dataDirectory), "nothing may be created before the settings are valid");
        root.Delete(recursive: true);
    }
}
