using Cordon.Runner.Egress;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cordon.Runner.UnitTests.Egress;

/// <summary>The factory as the runner gets it: from the container, with the system resolver and the real interface list.</summary>
public sealed class EgressProxyFactoryTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("cordon-egress-");
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_FromTheContainer_RefusesTheRunnersOwnAddressEvenWhenAdmitted()
    {
        var services = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton(typeof(ILogger<>), typeof(Logger<>))
            .AddSingleton<EgressProxyFactory>();
        services.AddOptions<EgressOptions>().Configure(o => o.AllowedPrivateRanges = ["127.0.0.0/8"]);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        await using var upstream = LoopbackUpstream.Echo();
        var socketPath = Path.Combine(_directory.FullName, "egress.sock");
        EgressRule.TryParse($"localhost:{upstream.Port}", out var rule, out _);

        await using var proxy = provider.GetRequiredService<EgressProxyFactory>().Start(socketPath, [rule!]);
        using var client = await ProxyClient.ConnectAsync(socketPath, _ct);
        var reply = await client.ExchangeAsync($"CONNECT localhost:{upstream.Port} HTTP/1.1\r\n\r\n", _ct);

        // /etc/hosts answers localhost; 127.0.0.1 is admitted by the range but is the runner's own (lo's) address.
        Assert.Equal(403, reply.Status);
        Assert.Matches(@"localhost resolves to (127\.0\.0\.1, the runner's own address|::1, (loopback|the runner's own address))", reply.Body);
        Assert.Equal(0, upstream.Connections);
    }

    [Fact]
    public void Options_Defaults_AreTheDocumentedOnes()
    {
        var options = new EgressOptions();

        Assert.Equal((32, 1L << 30, 60, 10, 10), (options.MaxConnections, options.MaxBytes, options.IdleTimeoutSeconds, options.ConnectTimeoutSeconds, options.HeaderTimeoutSeconds));
        Assert.Empty(options.AllowedPrivateRanges);
        Assert.Equal("Cordon:Egress", EgressOptions.SectionName);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
