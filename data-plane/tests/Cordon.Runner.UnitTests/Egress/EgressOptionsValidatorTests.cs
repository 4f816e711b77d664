using Cordon.Runner.Egress;

namespace Cordon.Runner.UnitTests.Egress;

public sealed class EgressOptionsValidatorTests
{
    [Fact]
    public void Validate_ValidRanges_Succeeds()
    {
        var options = new EgressOptions { AllowedPrivateRanges = ["10.20.0.0/16", "fd00::/8", "0.0.0.0/0", "192.168.1.7/32"] };

        Assert.True(new EgressOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("10.20.0.0")]
    [InlineData("10.20.0.1/16")]
    [InlineData("10.1/8")]
    [InlineData("010.0.0.0/8")]
    [InlineData("10.0.0.0/33")]
    [InlineData("fd00::/129")]
    [InlineData("fd00::1/8")]
    [InlineData("nonsense/8")]
    [InlineData("10.0.0.0/")]
    public void Validate_BadRange_NamesTheEntry(string entry)
    {
        var options = new EgressOptions { AllowedPrivateRanges = ["10.20.0.0/16", entry] };

        var result = new EgressOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.Contains($"Cordon:Egress:AllowedPrivateRanges entry '{entry}'", failure, StringComparison.Ordinal);
    }
}
