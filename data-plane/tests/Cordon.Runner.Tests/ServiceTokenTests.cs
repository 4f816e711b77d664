using Cordon.Contracts.Runner.V1;
using Cordon.Runner.Configuration;
using Cordon.Runner.Grpc;
using Grpc.Core;
using File = System.IO.File;

namespace Cordon.Runner.Tests;

/// <summary>Issue 15.5: no empty or short service token, the token file made 0600 atomically, a 0600 Unix socket endpoint.</summary>
public sealed class ServiceTokenTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cordon-token-");

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("short-token")]
    [InlineData("0123456789abcdef0123456789abcde")] // 31 bytes
    public void Resolve_ConfiguredTokenUnder32Bytes_IsRefused(string configured)
    {
        var refusal = Assert.Throws<RunnerStartupException>(() => ServiceToken.Resolve(configured, _dir.FullName));

        Assert.Contains("at least 32", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_EmptyTokenFile_IsRefusedNotTakenAsNoToken()
    {
        File.WriteAllText(Path.Combine(_dir.FullName, "service-token"), "");

        var refusal = Assert.Throws<RunnerStartupException>(() => ServiceToken.Resolve(null, _dir.FullName));

        Assert.Contains("delete the file", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_NoTokenAnywhere_GeneratesA0600FileInOneStep()
    {
        var token = ServiceToken.Resolve(null, _dir.FullName);
        var file = Path.Combine(_dir.FullName, "service-token");

        Assert.Equal(64, token.Value.Length);
        Assert.Equal(token.Value, File.ReadAllText(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(["service-token"], _dir.EnumerateFiles().Select(f => f.Name)); // no staging file left
        Assert.Equal(token, ServiceToken.Resolve(null, _dir.FullName));
    }

    [Fact]
    public async Task Serve_WithAnEmptyTokenFile_RefusesToStart()
    {
        // Before: "" was the token, and "authorization: Bearer " was accepted.
        var data = Path.Combine(_dir.FullName, "data");
        Directory.CreateDirectory(data);
        File.WriteAllText(Path.Combine(data, "service-token"), "");

        var (exit, stderr) = await RunnerCommand.RunAsync(["serve", "--urls", "http://127.0.0.1:0"], new Dictionary<string, string>(), TestContext.Current.CancellationToken, data);

        Assert.Equal(RunnerStartupException.ExitCode, exit);
        Assert.Contains("refusing to start: the runner's service token from", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_OnAUnixSocket_Is0600AndStillNeedsTheToken()
    {
        var socketDir = Path.Combine(_dir.FullName, "sock");
        var socket = Path.Combine(socketDir, "runner.sock");
        await using var runner = new RunnerProcess { Socket = socket };
        await runner.InitializeAsync();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(socket));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(socketDir));
        var health = await runner.Client.GetHealthAsync(new HealthRequest(), runner.Auth, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(health.Ready);
        var unauthenticated = await Assert.ThrowsAsync<RpcException>(async () => await runner.Client.GetHealthAsync(new HealthRequest(), new Metadata { { "authorization", "Bearer " } }, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(StatusCode.Unauthenticated, unauthenticated.StatusCode);
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
