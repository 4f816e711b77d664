
namespace Cordon.ControlPlane.DataProtection;

internal static class DataProtectionExtensions
{
    /// <summary>Workspace data keys, crypto-shredding deletes and the retention pass (<c>Cordon:Retention:Days</c>).</summary>
    public static IHostApplicationBuilder AddDataProtection(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DataKeyCipher>();
        builder.Services.AddScoped<DataKeys>();
        builder.Services.AddScoped<DataKeyRewrapper>();
        builder.Services.AddScoped<WorkspaceDataEraser>();
        builder.Services.AddScoped<JobDeleter>();
        builder.Services.AddScoped<TenantDataAdmin>();
        builder.Services.AddSingleton<JobRetention>();
        builder.Services.AddHostedService(services => services.GetRequiredService<JobRetention>());
        builder.Services.AddHostedService<PlainDataKeysWarning>();
        return builder;
    }
}
