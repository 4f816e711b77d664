using System.Net;

namespace Cordon.Runner.Egress;

/// <summary>
/// The policy's answer: the rule that admits the request and the checked addresses to try, or a refusal (with the
/// address that refused it, when an address did, for the record).
/// </summary>
internal sealed record EgressDecision(EgressRule? Rule, IReadOnlyList<IPAddress> Addresses, EgressRefusal? Refusal)
{
    public static EgressDecision Allow(EgressRule rule, IReadOnlyList<IPAddress> addresses) => new(rule, addresses, null);

    public static EgressDecision Refuse(EgressRefusal refusal, EgressRule? rule = null) => new(rule, [], refusal);
}
