using System.Net;
using Cordon.Contracts.Runtimes;
using Cordon.Contracts.Service;
using static Cordon.EndToEnd.E2E;

namespace Cordon.EndToEnd;

public sealed class ServiceE2ETests(StackFixture stack)
{
    [Fact]
    public async Task HealthReadyAndInfo_AnswerWithoutToken()
    {
        var client = stack.Client(null);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz", Ct)).StatusCode);
        var info = await (await client.GetAsync("/v1/info", Ct)).ReadAsync<ServiceInfo>(stack);
        Assert.Equal("Development", info.Environment);
        Assert.False(info.AuthBypass);
    }

    [Fact]
    public async Task Runtimes_ListAtLeastTheFiveLanguages()
    {
        var runtimes = await (await stack.ClientFor().GetAsync("/v1/runtimes", Ct)).ReadAsync<IReadOnlyList<RuntimeInfo>>(stack);
        foreach (var language in new[] { "python", "javascript", "bash", "c", "cpp" })
        {
            Assert.Contains(runtimes, r => r.Language == language);
        }

        Assert.Contains(runtimes, r => r.Language == "python" && r.Aliases.Contains("py") && r.FileName == "main.py");
        Assert.Contains(runtimes, r => r.Language == "c" && r.Compiled);
    }

    [Fact]
    public void ControlPlane_RunsBelowZeroOnTheOomKillersScale_OrSaysWhyNot()
    {
        // Lowering a score needs CAP_SYS_RESOURCE, which the service shares with this test that started it: with it
        // the control plane runs at -500 (the OOM killer takes a sandbox's job, at 1000, first); without it, it says
        // so at start. (The runner's side: Runner.Tests' HostFileModesTests.)
        if (HasCapability(24))
        {
            Assert.Equal("-500", File.ReadAllText($"/proc/{stack.ControlPid}/oom_score_adj").Trim());
        }
        else
        {
            Assert.Contains("cordon-control could not set its oom_score_adj to -500", stack.ControlOutput, StringComparison.Ordinal);
        }
    }

    private static bool HasCapability(int bit)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        var effective = ulong.Parse(line["CapEff:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        return (effective & (1UL << bit)) != 0;
    }
}
