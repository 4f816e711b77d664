using Cordon.Contracts.Problems;
using Cordon.ControlPlane.Audit;
using Cordon.ControlPlane.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Cordon.ControlPlane.Auth;

internal static partial class AuthExtensions
{
    public static IHostApplicationBuilder AddCordonAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .Bind(builder.Configuration.GetSection(AuthOptions.SectionName))
            .ValidateOnStart();
        var mode = AuthMode.From(builder.Environment, builder.Configuration);
        builder.Services.AddSingleton(mode);
        builder.Services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        builder.Services.AddScoped<RequestContext>();

        var auth = builder.Configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        var devKey = mode.UsesDevKey(auth) ? DevSigningKey.LoadOrCreate(DataDirectory.FromConfiguration(builder.Configuration)) : null;

        var authentication = builder.Services.AddAuthentication(mode.UsesBypass(auth)
            ? BypassAuthenticationHandler.SchemeName
            : JwtBearerDefaults.AuthenticationScheme);
        authentication.AddScheme<AuthenticationSchemeOptions, BypassAuthenticationHandler>(BypassAuthenticationHandler.SchemeName, null);
        authentication.AddJwtBearer(options => ConfigureJwt(options, auth, devKey));

        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, ScopeAuthorizationResultHandler>();
        builder.Services.AddAuthorizationBuilder().AddScopePolicies();
        return builder;
    }

    public static WebApplication UseCordonAuth(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseMiddleware<RequestContextMiddleware>();
        app.UseAuthorization();
        var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (app.Services.GetRequiredService<AuthMode>().UsesBypass(auth))
        {
            LogBypassEnabled(app.Logger);
        }

        return app;
    }

    private static AuthorizationBuilder AddScopePolicies(this AuthorizationBuilder authorization)
    {
        foreach (var scope in Scopes.All)
        {
            authorization.AddPolicy(scope, policy => policy.RequireAuthenticatedUser().AddRequirements(new ScopeRequirement(scope)));
        }

        return authorization;
    }

    private static void ConfigureJwt(JwtBearerOptions options, AuthOptions auth, DevSigningKey? devKey)
    {
        options.MapInboundClaims = false;
        options.RequireHttpsMetadata = auth.RequireHttpsMetadata;
        if (!string.IsNullOrEmpty(auth.Authority))
        {
            options.Authority = auth.Authority;
        }

        if (!string.IsNullOrEmpty(auth.MetadataAddress))
        {
            options.MetadataAddress = auth.MetadataAddress;
        }

        // Each configured key signs for one issuer only, so a key shared with one issuer cannot mint for another.
        var keyIssuers = new Dictionary<SecurityKey, string>(ReferenceEqualityComparer.Instance);
        foreach (var configured in auth.SigningKeys)
        {
            if (SigningKeys.TryDecode(configured.Key, out var bytes) && (configured.Issuer ?? auth.Issuer) is { Length: > 0 } issuer)
            {
                keyIssuers[SigningKeys.ToSecurityKey(configured.Kid, bytes)] = issuer;
            }
        }

        if (devKey is not null)
        {
            keyIssuers[SigningKeys.ToSecurityKey(devKey.Kid, devKey.Key)] = DevSigningKey.Issuer;
        }

        var issuers = keyIssuers.Values.Append(auth.Issuer).OfType<string>().Where(i => i.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var maxLifetime = TimeSpan.FromMinutes(auth.MaxTokenLifetimeMinutes);
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuers = issuers,
            ValidateAudience = true,
            ValidAudience = auth.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidAlgorithms = JwtAlgorithms.For(auth),
            ClockSkew = TimeSpan.FromSeconds(30),
            ValidateIssuerSigningKey = true,
            IssuerSigningKeys = keyIssuers.Keys,
            // Keys from the authority's JWKS are not in the map: they sign for the authority's issuer (validated above).
            IssuerSigningKeyValidator = (key, token, _) =>
                !keyIssuers.TryGetValue(key, out var boundIssuer) || string.Equals(boundIssuer, token.Issuer, StringComparison.Ordinal),
            NameClaimType = ClaimNames.Subject,
            // A JWKS from the authority adds its keys; configured keys still count.
            TryAllIssuerSigningKeys = true,
        };
        options.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                var tenant = context.Principal?.FindFirst(ClaimNames.Tenant)?.Value;
                if (!TenantIds.IsValid(tenant))
                {
                    context.Fail("The token has no valid 'tenant' claim (letters, digits, '-' and '_', at most 64).");
                }
                else if (TokenLifetime.Of(context.SecurityToken) > maxLifetime)
                {
                    context.Fail($"The token lives longer than the {auth.MaxTokenLifetimeMinutes} minutes accepted (Cordon:Auth:MaxTokenLifetimeMinutes).");
                }

                return Task.CompletedTask;
            },
            OnChallenge = WriteChallengeAsync,
        };
    }

    private static async Task WriteChallengeAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var http = context.HttpContext;
        var detail = context.AuthenticateFailure switch
        {
            null => "This endpoint needs 'Authorization: Bearer <token>'.",
            SecurityTokenExpiredException => "The bearer token has expired.",
            SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "The bearer token's signature does not validate.",
            SecurityTokenInvalidAudienceException => "The bearer token's audience is not accepted.",
            SecurityTokenInvalidIssuerException => "The bearer token's issuer is not accepted.",
            SecurityTokenInvalidSigningKeyException => "The bearer token's signing key does not sign for its issuer.",
            SecurityTokenInvalidAlgorithmException => "The bearer token's algorithm is not accepted.",
            SecurityTokenNoExpirationException => "The bearer token has no expiry ('exp').",
            { } failure => "The bearer token does not validate: " + failure.Message,
        };
        var audit = http.RequestServices.GetRequiredService<IAuditSink>();
        await audit.WriteAsync(new AuditEvent(AuditActions.AuthFailure, null, null, http.Request.Path, "denied", Detail: detail), http.RequestAborted);

        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        http.Response.Headers.WWWAuthenticate = context.AuthenticateFailure is null
            ? "Bearer"
            : "Bearer error=\"invalid_token\"";
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Type = ProblemTypes.Unauthorized,
                Title = "Unauthorized",
                Status = StatusCodes.Status401Unauthorized,
                Detail = detail,
            },
        });
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning,
        Message = "AUTH BYPASS IS ON (Cordon:Auth:Bypass=true): every request runs as tenant 'test' with every scope. Testing only; allowed only in Development on loopback.")]
    private static partial void LogBypassEnabled(ILogger logger);
}
