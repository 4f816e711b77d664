using Cordon.ControlPlane.Audit;

namespace Cordon.ControlPlane.Policy;

internal static class PolicyExtensions
{
    public static IHostApplicationBuilder AddPolicy(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IPolicyEngine, AllowAllPolicyEngine>();
        builder.Services.AddSingleton<IAuditSink, LogAuditSink>();
        return builder;
    }
}
