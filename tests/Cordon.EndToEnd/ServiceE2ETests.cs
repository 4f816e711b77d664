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
}
