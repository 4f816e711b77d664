using System.Net.Http.Json;
using System.Text.Json;
using Cordon.Contracts.Jobs;
using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Policy;

/// <summary>
/// Asks OPA: <c>POST {OpaUrl}/v1/data/cordon/decision</c> with <c>{"input": …}</c>, reading <c>allow</c>,
/// <c>reasons</c> (<c>[{rule, message}]</c>), <c>limits</c> and the optional <c>policyVersion</c> from <c>result</c>.
/// Anything but a well-formed answer in time — a timeout, a refused connection, a non-2xx status, garbage, an
/// undefined decision, an allow without limits — denies with <c>policy_unavailable</c>.
/// </summary>
internal sealed partial class OpaPolicyEngine(HttpClient http, IOptions<PolicyOptions> options, ILogger<OpaPolicyEngine> logger) : IPolicyEngine
{
    public const string HttpClientName = "opa";

    private const string UnknownVersion = "opa";

    public async ValueTask<PolicyDecision> DecideAsync(PolicyInput input, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.OpaTimeoutMs);
        try
        {
            var url = new Uri(new Uri(options.Value.OpaUrl!.TrimEnd('/') + "/"), "v1/data/cordon/decision");
            using var response = await http.PostAsJsonAsync(url, new OpaRequest { Input = input }, PolicyJsonContext.Default.OpaRequest, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                return Unavailable($"OPA answered {(int)response.StatusCode}");
            }

            var answer = await response.Content.ReadFromJsonAsync(PolicyJsonContext.Default.OpaResponse, timeout.Token);
            return Read(answer?.Result);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Unavailable($"OPA did not answer within {options.Value.OpaTimeoutMs} ms");
        }
        catch (HttpRequestException exception)
        {
            return Unavailable("OPA is unreachable: " + exception.Message);
        }
        catch (JsonException)
        {
            return Unavailable("OPA's answer is not a decision document");
        }
        catch (NotSupportedException)
        {
            return Unavailable("OPA's answer is not JSON");
        }
    }

    private PolicyDecision Read(OpaResult? result)
    {
        if (result?.Allow is not { } allow)
        {
            return Unavailable("OPA's answer has no result.allow (is the cordon package loaded?)");
        }

        var reasons = (result.Reasons ?? []).Where(r => !string.IsNullOrEmpty(r.Rule))
            .Select(r => new PolicyReason(r.Rule!, r.Message ?? r.Rule!)).ToList();
        var version = string.IsNullOrEmpty(result.PolicyVersion) ? UnknownVersion : result.PolicyVersion;
        if (!allow)
        {
            return new PolicyDecision(false, reasons.Count > 0 ? reasons : [new PolicyReason("opa.denied", "Denied by the OPA policy.")], null, version);
        }

        return result.Limits is { } limits && Complete(limits)
            ? new PolicyDecision(true, reasons, limits, version)
            : Unavailable("OPA allowed without result.limits for every member (timeoutMs, memoryMb, cpus, pids, outputBytes, diskMb)");
    }

    private static bool Complete(ResourceLimits l) =>
        l.TimeoutMs > 0 && l.MemoryMb > 0 && l.Cpus > 0 && l.Pids > 0 && l.OutputBytes > 0 && l.DiskMb > 0;

    private PolicyDecision Unavailable(string why)
    {
        LogUnavailable(logger, why);
        return PolicyDecision.Deny(UnknownVersion, new PolicyReason(PolicyRules.PolicyUnavailable,
            "The policy service could not decide, so the request is refused; retry later or tell the operator (" + why + ")."));
    }

    [LoggerMessage(EventId = 1601, Level = LogLevel.Warning, Message = "OPA policy decision failed closed: {Why}")]
    private static partial void LogUnavailable(ILogger logger, string why);
}
