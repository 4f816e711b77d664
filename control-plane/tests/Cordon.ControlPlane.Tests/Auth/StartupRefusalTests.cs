using System.Diagnostics;

namespace Cordon.ControlPlane.Tests.Auth;

/// <summary>
/// The real <c>cordon-control</c> process refuses unsafe auth configurations with a clean exit: the reason on stderr,
/// exit code 2, no stack trace and no abort.
/// </summary>
public sealed class StartupRefusalTests
{
    [Theory]
    [InlineData("Staging", "http://127.0.0.1:0", "Cordon__Auth__Bypass", "Bypass=true is refused")]
    [InlineData("Production", "http://127.0.0.1:0", "Cordon__Auth__Bypass", "Bypass=true is refused")]
    [InlineData("Development", "http://0.0.0.0:0", "Cordon__Auth__Bypass", "Bypass=true is refused")]
    [InlineData("Staging", "http://127.0.0.1:0", "Cordon__Auth__DevSigningKey", "DevSigningKey=true is refused")]
    public async Task UnsafeConvenience_ExitsCleanlyWithTheReason(string environment, string urls, string setting, string reason)
    {
        var dataDir = Directory.CreateTempSubdirectory("cordon-refusal-").FullName;
        try
        {
            var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "cordon-control.dll"), "--urls", urls])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                Environment =
                {
                    ["ASPNETCORE_ENVIRONMENT"] = environment,
                    ["CORDON_DATA_DIR"] = dataDir,
                    [setting] = "true",
                    ["Cordon__Auth__Issuer"] = "x",
                    ["Cordon__Auth__SigningKeys__0__Key"] = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(new byte[32]),
                },
            };
            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);

            var output = await stderr + await stdout;
            Assert.Equal(2, process.ExitCode);
            Assert.Contains("cordon-control: refusing to start: ", output, StringComparison.Ordinal);
            Assert.Contains(reason, output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
