using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Cordon.Client.Tests;

public sealed class TokenCommandTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("cordon-cli-test-").FullName;
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public TokenCommandTests()
    {
        Directory.CreateDirectory(Path.Combine(_dataDir, "auth"));
        File.WriteAllText(Path.Combine(_dataDir, "auth", "dev-signing-key.json"), $$"""{"kid":"dev-key-1","key":"{{Base64Url(_key)}}"}""");
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Token_WithDevKey_PrintsOnlyAnHs256TokenWithTheClaims()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(Env(), null, Ct,
            "token", "--tenant", "acme", "--scopes", "jobs:run sessions:use files:rw", "--ttl", "2h", "--data-dir", _dataDir, "--subject", "alice");

        Assert.True(exitCode == 0, stderr);
        var token = stdout.TrimEnd('\n');
        Assert.DoesNotContain('\n', token);
        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        var expected = HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        Assert.Equal(Base64Url(expected), parts[2]);

        using var header = JsonDocument.Parse(FromBase64Url(parts[0]));
        Assert.Equal("HS256", header.RootElement.GetProperty("alg").GetString());
        Assert.Equal("JWT", header.RootElement.GetProperty("typ").GetString());
        Assert.Equal("dev-key-1", header.RootElement.GetProperty("kid").GetString());

        using var payload = JsonDocument.Parse(FromBase64Url(parts[1]));
        var claims = payload.RootElement;
        Assert.Equal("alice", claims.GetProperty("sub").GetString());
        Assert.Equal("acme", claims.GetProperty("tenant").GetString());
        Assert.Equal("jobs:run sessions:use files:rw", claims.GetProperty("scope").GetString());
        Assert.Equal("cordon-dev", claims.GetProperty("iss").GetString());
        Assert.Equal("cordon", claims.GetProperty("aud").GetString());
        var iat = claims.GetProperty("iat").GetInt64();
        Assert.InRange(iat, before - 1, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.Equal(iat, claims.GetProperty("nbf").GetInt64());
        Assert.Equal(iat + 7200, claims.GetProperty("exp").GetInt64());
    }

    [Fact]
    public async Task Token_ValidatesWithJsonWebTokenHandler_AsTheControlPlaneChecksIt()
    {
        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(Env(), null, Ct, "token", "--tenant", "acme", "--scopes", "jobs:run", "--data-dir", _dataDir);
        Assert.True(exitCode == 0, stderr);

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(stdout.Trim(), new TokenValidationParameters
        {
            ValidIssuer = "cordon-dev",
            ValidAudience = "cordon",
            IssuerSigningKey = new SymmetricSecurityKey(_key) { KeyId = "dev-key-1" },
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        });

        Assert.True(result.IsValid, result.Exception?.ToString());
        Assert.Equal("acme", result.Claims["tenant"]);
        Assert.Equal("jobs:run", result.Claims["scope"]);
    }

    [Fact]
    public async Task Token_DataDirFromEnvironment_IsUsed()
    {
        var env = Env();
        env["CORDON_DATA_DIR"] = _dataDir;

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(env, null, Ct, "token", "--tenant", "acme");

        Assert.True(exitCode == 0, stderr);
        Assert.Equal(3, stdout.Trim().Split('.').Length);
    }

    [Theory]
    [InlineData("DOTNET_ENVIRONMENT")]
    [InlineData("ASPNETCORE_ENVIRONMENT")]
    public async Task Token_ProductionEnvironment_IsRefused(string variable)
    {
        var env = Env();
        env[variable] = "Production";

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(env, null, Ct, "token", "--tenant", "acme", "--data-dir", _dataDir);

        Assert.Equal(77, exitCode);
        Assert.Empty(stdout);
        Assert.Contains("Production", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_ControlPlaneInProduction_IsRefused()
    {
        await using var server = await FakeCordonServer.StartAsync(Ct);
        server.Environment = "Production";
        var env = Env();
        env["CORDON_URL"] = server.Url.AbsoluteUri;

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(env, null, Ct, "token", "--tenant", "acme", "--data-dir", _dataDir);

        Assert.Equal(77, exitCode);
        Assert.Empty(stdout);
        Assert.Contains("runs in Production", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_ControlPlaneInDevelopment_IsMinted()
    {
        await using var server = await FakeCordonServer.StartAsync(Ct);
        var env = Env();
        env["CORDON_URL"] = server.Url.AbsoluteUri;

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(env, null, Ct, "token", "--tenant", "acme", "--data-dir", _dataDir);

        Assert.True(exitCode == 0, stderr);
        Assert.Equal(3, stdout.Trim().Split('.').Length);
        Assert.Contains("GET /v1/info", server.Requests);
    }

    [Fact]
    public async Task Token_MissingKeyFile_TellsToStartTheControlPlane()
    {
        var empty = Directory.CreateTempSubdirectory("cordon-cli-empty-").FullName;

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(Env(), null, Ct, "token", "--tenant", "acme", "--data-dir", empty);

        Assert.Equal(78, exitCode);
        Assert.Empty(stdout);
        Assert.Contains("make run", stderr, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(empty, "auth", "dev-signing-key.json"), stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_BadTtl_IsAUsageError()
    {
        var (exitCode, stdout, _) = await CliProcess.RunAsync(Env(), null, Ct, "token", "--tenant", "acme", "--ttl", "soon", "--data-dir", _dataDir);

        Assert.Equal(2, exitCode);
        Assert.Empty(stdout);
    }

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    /// <summary>Nothing listens on port 9: the Production probe of the control plane finds no one.</summary>
    private static Dictionary<string, string?> Env() => new() { ["CORDON_URL"] = "http://127.0.0.1:9" };

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s + new string('=', (4 - s.Length % 4) % 4));
    }
}
