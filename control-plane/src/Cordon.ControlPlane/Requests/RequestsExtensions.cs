namespace Cordon.ControlPlane.Requests;

internal static class RequestsExtensions
{
    /// <summary>The rules job and session requests share: <c>Cordon:Limits</c>.</summary>
    public static IHostApplicationBuilder AddRequestRules(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LimitsOptions>()
            .Bind(builder.Configuration.GetSection(LimitsOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<RequestLimits>();
        return builder;
    }
}
