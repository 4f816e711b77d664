using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

[assembly: AssemblyFixture(typeof(Cordon.EndToEnd.StackFixture))]
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace Cordon.EndToEnd;

/// <summary>
/// The whole stack as real processes: one <c>cordon-runner</c> (real runc sandboxes) and one <c>cordon-control</c>
/// in Development on free loopback ports with a temporary data directory. Tokens are minted with the development
/// signing key the control plane wrote there, exactly as <c>cordon token</c> does.
/// </summary>
public sealed class StackFixture : IAsyncLifetime
{
    private const string ServiceToken = "e2e-service-token-of-at-least-32-bytes";
    private StackProcess? _runner;
    private StackProcess? _control;
    private SymmetricSecurityKey? _devKey;

    // 0755: sandbox processes run as mapped uids and must reach the runner's root filesystem below this directory.
    public string DataDir { get; } = Directory.CreateTempSubdirectory("cordon-e2e-").FullName.WithMode(
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead |
        UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

    public Uri BaseAddress { get; private set; } = null!;

    public string RunnerUrl { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var runnerPort = FreePort();
        RunnerUrl = $"http://127.0.0.1:{runnerPort}";
        var runnerInfo = StackBinaries.Runner([
            "serve", "--urls", RunnerUrl,
            $"--Cordon:Runner:DataDir={Path.Combine(DataDir, "runner")}",
            $"--Cordon:Runner:ServiceToken={ServiceToken}",
            $"--Cordon:Runner:InitPath={StackBinaries.InitPath()}",
            // A uid range and cgroup of its own, away from other runners on this machine.
            "--Cordon:Runner:UidBase=60000000",
            $"--Cordon:Runner:CgroupParent=cordon-e2e-{Environment.ProcessId}",
            "--Cordon:Runner:Capacity=16",
        ]);
        runnerInfo.Environment["CORDON_DATA_DIR"] = DataDir;
        _runner = StackProcess.Start(runnerInfo);

        var controlPort = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{controlPort}");
        _control = StartControl("Development", [
            "--urls", BaseAddress.ToString().TrimEnd('/'),
            $"--Cordon:Runners:0:Id=e2e",
            $"--Cordon:Runners:0:Url={RunnerUrl}",
            $"--Cordon:Runners:0:Token={ServiceToken}",
            "--Cordon:Sessions:ReapIntervalSeconds=0.5",
        ]);

        await WaitReadyAsync(TimeSpan.FromSeconds(120));
        var keyFile = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(DataDir, "auth", "dev-signing-key.json")));
        _devKey = new SymmetricSecurityKey(Base64UrlEncoder.DecodeBytes(keyFile.RootElement.GetProperty("key").GetString()))
        {
            KeyId = keyFile.RootElement.GetProperty("kid").GetString(),
        };
    }

    /// <summary>Starts another cordon-control over this fixture's data directory (for start-up refusal tests).</summary>
    internal StackProcess StartControl(string environment, IEnumerable<string> args, IDictionary<string, string>? env = null)
    {
        var info = StackBinaries.Control(args);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        info.Environment["CORDON_DATA_DIR"] = DataDir;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return StackProcess.Start(info);
    }

    public HttpClient Client(string? token)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(90) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public HttpClient ClientFor(string tenant = "e2e", string scopes = "jobs:run sessions:use files:rw") => Client(Token(tenant, scopes));

    public string Token(string tenant, string scopes, TimeSpan? lifetime = null, SecurityKey? key = null)
    {
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(30));
        var issued = expires < now ? expires.AddMinutes(-10) : now;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "cordon-dev",
            Audience = "cordon",
            IssuedAt = issued,
            NotBefore = issued,
            Expires = expires,
            Subject = new ClaimsIdentity([new Claim("sub", "e2e-user"), new Claim("tenant", tenant), new Claim("scope", scopes)]),
            SigningCredentials = new SigningCredentials(key ?? _devKey, SecurityAlgorithms.HmacSha256),
        });
    }

    public string Diagnostics() => $"--- cordon-control ---\n{_control?.Tail()}\n--- cordon-runner ---\n{_runner?.Tail()}";

    public async ValueTask DisposeAsync()
    {
        if (_control is not null)
        {
            await _control.DisposeAsync();
        }

        if (_runner is not null)
        {
            await _runner.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Sandbox leftovers are the runner's tests' business.
        }
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_control!.HasExited || _runner!.HasExited)
            {
                throw new InvalidOperationException("A process of the stack exited during start-up.\n" + Diagnostics());
            }

            try
            {
                if ((await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("The stack did not become ready.\n" + Diagnostics());
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
