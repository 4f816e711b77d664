using System.ComponentModel;
using Cordon.Contracts.Runtimes;

namespace Cordon.ControlPlane.Mcp;

/// <summary>The structured result of <c>list_runtimes</c>.</summary>
internal sealed record RuntimeListResult
{
    [Description("Each runtime: language (pass it as 'language'), version, aliases, fileName (where 'code' is written), compiled.")]
    public required IReadOnlyList<RuntimeInfo> Runtimes { get; init; }
}
