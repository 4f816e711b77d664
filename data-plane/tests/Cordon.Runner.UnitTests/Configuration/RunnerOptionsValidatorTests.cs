using Cordon.Runner.Configuration;

namespace Cordon.Runner.UnitTests.Configuration;

public sealed class RunnerOptionsValidatorTests
{
    [Fact]
    public void Validate_DataDirAtTheSocketLimit_Succeeds()
    {
        var options = new RunnerOptions { DataDir = "/" + new string('d', RunnerOptionsValidator.MaxDataDirBytes - 1) };

        Assert.True(new RunnerOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_DataDirTooLongForTheEgressSocket_SaysHowLongItMayBe()
    {
        var options = new RunnerOptions { DataDir = "/" + new string('d', RunnerOptionsValidator.MaxDataDirBytes) };

        var result = new RunnerOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains($"is {RunnerOptionsValidator.MaxDataDirBytes + 1} bytes long", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains($"at most {RunnerOptionsValidator.MaxDataDirBytes} bytes", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--platform=ptrace")]
    [InlineData("--platform=ptrace --host-uds=none")]
    [InlineData("--host-uds=open --host-uds=create")]
    public void Validate_RunscFlagsClosingHostSockets_NamesTheMissingFlag(string flags)
    {
        var options = new RunnerOptions { DataDir = "/var/lib/cordon", OciRuntime = "/usr/bin/runsc", RuntimeFlags = flags.Split(' ') };

        var result = new RunnerOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("lack --host-uds=open", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("runsc", "--platform=ptrace --host-uds=open")]
    [InlineData("runsc", "--host-uds=all")]
    [InlineData("runc", "--debug")]
    public void Validate_FlagsThatKeepTheProxyReachable_Succeed(string runtime, string flags)
    {
        var options = new RunnerOptions { DataDir = "/var/lib/cordon", OciRuntime = runtime, RuntimeFlags = flags.Split(' ') };

        Assert.True(new RunnerOptionsValidator().Validate(null, options).Succeeded);
    }
}
