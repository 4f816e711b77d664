using Cordon.ControlPlane.Auth;

namespace Cordon.ControlPlane.Tests.Auth;

public sealed class AuthOptionsValidatorTests
{
    [Fact]
    public void Validate_BypassInProduction_FailsWithFix()
    {
        var result = new AuthOptionsValidator(Mode("Production")).Validate(null, new AuthOptions { Bypass = true, Issuer = "x", SigningKeys = [new() { Key = new string('A', 43) }] });
        Assert.True(result.Failed);
        Assert.Contains("Bypass=true is refused", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DevKeyInProduction_Fails()
    {
        var result = new AuthOptionsValidator(Mode("Production")).Validate(null, new AuthOptions { DevSigningKey = true });
        Assert.True(result.Failed);
    }

    [Fact]
    public void Validate_ProductionWithoutKeys_FailsSayingWhatToSet()
    {
        var result = new AuthOptionsValidator(Mode("Production")).Validate(null, new AuthOptions());
        Assert.Contains("Cordon:Auth:SigningKeys", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BypassInDevelopment_Succeeds()
    {
        Assert.True(new AuthOptionsValidator(Mode("Development")).Validate(null, new AuthOptions { Bypass = true }).Succeeded);
    }

    [Fact]
    public void Validate_ShortKey_Fails()
    {
        var result = new AuthOptionsValidator(Mode("Staging")).Validate(null, new AuthOptions { Issuer = "x", SigningKeys = [new() { Key = "abc" }] });
        Assert.Contains("at least 32 bytes", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Staging")]
    [InlineData("development")]
    [InlineData("Testing")]
    public void Validate_BypassOutsideDevelopment_Fails(string environment)
    {
        var result = new AuthOptionsValidator(Mode(environment)).Validate(null, new AuthOptions { Bypass = true });
        Assert.Contains("Bypass=true is refused", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains($"'{environment}'", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://0.0.0.0:8080")]
    [InlineData("http://*:8080")]
    [InlineData("http://+:8080")]
    [InlineData("http://192.168.1.10:8080")]
    [InlineData("http://127.0.0.1:8080;http://[::]:8081")]
    public void Validate_BypassOrDevKeyInDevelopmentOnNonLoopback_Fails(string urls)
    {
        var mode = new AuthMode("Development", urls.Split(';'));
        Assert.Contains("Bypass=true is refused", new AuthOptionsValidator(mode).Validate(null, new AuthOptions { Bypass = true }).FailureMessage, StringComparison.Ordinal);
        Assert.Contains("DevSigningKey=true is refused", new AuthOptionsValidator(mode).Validate(null, new AuthOptions { DevSigningKey = true }).FailureMessage, StringComparison.Ordinal);
        Assert.False(mode.UsesDevKey(new AuthOptions()));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080")]
    [InlineData("http://localhost:8080")]
    [InlineData("http://[::1]:8080")]
    public void Validate_BypassInDevelopmentOnLoopback_Succeeds(string url) =>
        Assert.True(new AuthOptionsValidator(new AuthMode("Development", [url])).Validate(null, new AuthOptions { Bypass = true }).Succeeded);

    [Fact]
    public void Validate_AlgorithmNone_Fails()
    {
        var result = new AuthOptionsValidator(Mode("Production")).Validate(null, new AuthOptions { Issuer = "x", Algorithms = ["none"], SigningKeys = [new() { Key = new string('A', 43) }] });
        Assert.Contains("'none'", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_KeyWithoutIssuer_Fails()
    {
        var result = new AuthOptionsValidator(Mode("Production")).Validate(null, new AuthOptions { SigningKeys = [new() { Key = new string('A', 43) }] });
        Assert.Contains("SigningKeys:0 has no issuer", result.FailureMessage, StringComparison.Ordinal);
    }

    private static AuthMode Mode(string environment) => new(environment, ["http://127.0.0.1:8080"]);
}
