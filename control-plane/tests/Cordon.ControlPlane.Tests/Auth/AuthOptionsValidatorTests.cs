using Cordon.ControlPlane.Auth;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Cordon.ControlPlane.Tests.Auth;

public sealed class AuthOptionsValidatorTests
{
    [Fact]
    public void Validate_BypassInProduction_FailsWithFix()
    {
        var result = new AuthOptionsValidator(new Environment("Production")).Validate(null, new AuthOptions { Bypass = true, Issuer = "x", SigningKeys = [new() { Key = new string('A', 43) }] });
        Assert.True(result.Failed);
        Assert.Contains("Bypass=true is refused in the Production", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DevKeyInProduction_Fails()
    {
        var result = new AuthOptionsValidator(new Environment("Production")).Validate(null, new AuthOptions { DevSigningKey = true });
        Assert.True(result.Failed);
    }

    [Fact]
    public void Validate_ProductionWithoutKeys_FailsSayingWhatToSet()
    {
        var result = new AuthOptionsValidator(new Environment("Production")).Validate(null, new AuthOptions());
        Assert.Contains("Cordon:Auth:SigningKeys", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BypassInDevelopment_Succeeds()
    {
        Assert.True(new AuthOptionsValidator(new Environment("Development")).Validate(null, new AuthOptions { Bypass = true }).Succeeded);
    }

    [Fact]
    public void Validate_ShortKey_Fails()
    {
        var result = new AuthOptionsValidator(new Environment("Staging")).Validate(null, new AuthOptions { Issuer = "x", SigningKeys = [new() { Key = "abc" }] });
        Assert.Contains("at least 32 bytes", result.FailureMessage, StringComparison.Ordinal);
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "cordon-control";

        public string ContentRootPath { get; set; } = "/";

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
