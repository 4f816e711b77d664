using System.CommandLine;
using Cordon.Cli.Tokens;
using Cordon.Client;

namespace Cordon.Cli.Commands;

/// <summary><c>cordon token</c>: mints a development token signed with the local development key.</summary>
internal static class TokenCommand
{
    private const string DefaultScopes = "jobs:run sessions:use files:rw";
    private static readonly TimeSpan InfoTimeout = TimeSpan.FromSeconds(3);

    public static Command Create()
    {
        var tenant = new Option<string>("--tenant") { Description = "The tenant the token acts for (the `tenant` claim).", Required = true };
        var scopes = new Option<string>("--scopes")
        {
            Description = "Space-separated scopes (the `scope` claim), e.g. \"jobs:run sessions:use files:rw\".",
            DefaultValueFactory = _ => DefaultScopes,
        };
        var ttl = new Option<string>("--ttl") { Description = "Lifetime: 90s, 30m, 24h, 7d.", DefaultValueFactory = _ => "24h" };
        var subject = new Option<string?>("--subject") { Description = "The `sub` claim (default: your user name)." };
        var dataDir = new Option<string?>("--data-dir") { Description = "The control plane's data directory (default: $CORDON_DATA_DIR, else ./.cordon)." };

        var command = new Command("token",
            "Mint a development token (HS256, issuer cordon-dev) with the key the control plane created in its data " +
            "directory. Prints only the token, e.g. export CORDON_TOKEN=$(cordon token --tenant acme). Refused in Production.")
        {
            tenant, scopes, ttl, subject, dataDir,
        };
        command.Validators.Add(result =>
        {
            // A command's validator sees only what was typed, not the defaults.
            if (result.GetValue(ttl) is { } given && !DurationParser.TryParse(given, out _))
            {
                result.AddError($"--ttl '{given}' is not a lifetime such as 90s, 30m, 24h or 7d.");
            }

            if (result.GetValue(tenant) is { } typed && string.IsNullOrWhiteSpace(typed))
            {
                result.AddError("--tenant must not be empty.");
            }
        });

        command.SetHandler(async (parseResult, cancellationToken) =>
        {
            await EnsureNotProductionAsync(cancellationToken).ConfigureAwait(false);
            var key = DevSigningKey.Load(DevSigningKey.ResolveDataDirectory(parseResult.GetValue(dataDir)));
            DurationParser.TryParse(parseResult.GetValue(ttl), out var lifetime);
            var scopeList = (parseResult.GetValue(scopes) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var sub = parseResult.GetValue(subject) is { Length: > 0 } s ? s : DefaultSubject();
            var token = DevTokenMinter.Mint(key, sub, parseResult.GetRequiredValue(tenant).Trim(), scopeList, lifetime, DateTimeOffset.UtcNow);
            Console.Out.WriteLine(token);
            return ExitCodes.Success;
        });
        return command;
    }

    private static string DefaultSubject() =>
        Environment.UserName is { Length: > 0 } user ? user : "cordon-cli";

    /// <summary>Development tokens must never exist in Production: refuse when this machine or the control plane says so.</summary>
    private static async Task EnsureNotProductionAsync(CancellationToken cancellationToken)
    {
        foreach (var variable in (string[])["DOTNET_ENVIRONMENT", "ASPNETCORE_ENVIRONMENT"])
        {
            if (IsProduction(Environment.GetEnvironmentVariable(variable)))
            {
                throw new CliException($"refusing to mint a development token: {variable} is Production.", ExitCodes.Refused);
            }
        }

        string environment;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(InfoTimeout);
            using var client = new CordonClient(CliEnvironment.Url, token: null);
            environment = (await client.GetInfoAsync(timeout.Token).ConfigureAwait(false)).Environment;
        }
        catch (Exception ex) when (ex is HttpRequestException or CordonApiException or System.Text.Json.JsonException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // No control plane answering (or not a Cordon one): nothing says Production, and the key file decides.
            return;
        }

        if (IsProduction(environment))
        {
            throw new CliException($"refusing to mint a development token: the control plane at {CliEnvironment.DisplayUrl} runs in Production.", ExitCodes.Refused);
        }
    }

    private static bool IsProduction(string? environment) =>
        string.Equals(environment?.Trim(), "Production", StringComparison.OrdinalIgnoreCase);
}
