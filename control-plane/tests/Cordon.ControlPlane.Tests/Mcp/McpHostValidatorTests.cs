using Cordon.ControlPlane.Mcp.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Tests.Mcp;

public sealed class McpHostValidatorTests
{
    [Theory]
    [InlineData("localhost:8080", "")]
    [InlineData("127.0.0.1:8080", "http://127.0.0.1:8080")]
    [InlineData("[::1]:8080", "http://[::1]:8080")]
    [InlineData("LOCALHOST", "https://localhost")]
    [InlineData("cordon.example.com", "https://cordon.example.com")]
    public void IsAllowed_LoopbackOrConfiguredHost_True(string host, string origin)
    {
        Assert.True(Validator("cordon.example.com").IsAllowed(Request(host, origin), out _));
    }

    [Theory]
    [InlineData("evil.example.com", "")]
    [InlineData("evil.example.com:8080", "http://evil.example.com:8080")]
    [InlineData("127.0.0.1:8080", "http://evil.example.com")]
    [InlineData("localhost:8080", "null")]
    [InlineData("localhost.evil.example.com", "")]
    [InlineData("10.0.0.5:8080", "")]
    public void IsAllowed_ForeignHostOrOrigin_False(string host, string origin)
    {
        Assert.False(Validator().IsAllowed(Request(host, origin), out var reason));
        Assert.NotEmpty(reason);
    }

    [Theory]
    [InlineData("https://cordon.example.com")]
    [InlineData("cordon.example.com:443")]
    [InlineData("cordon.example.com/mcp")]
    public void Validate_AllowedHostWithSchemePortOrPath_Fails(string entry)
    {
        var options = new McpHostingOptions();
        options.AllowedHosts.Add(entry);

        var result = new McpHostingOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("bare name", result.FailureMessage, StringComparison.Ordinal);
    }

    private static McpHostValidator Validator(params string[] allowedHosts)
    {
        var options = new McpHostingOptions();
        foreach (var host in allowedHosts)
        {
            options.AllowedHosts.Add(host);
        }

        return new McpHostValidator(Options.Create(options));
    }

    private static HttpRequest Request(string host, string origin)
    {
        var context = new DefaultHttpContext();
        context.Request.Host = new HostString(host);
        if (origin.Length > 0)
        {
            context.Request.Headers.Origin = origin;
        }

        return context.Request;
    }
}
