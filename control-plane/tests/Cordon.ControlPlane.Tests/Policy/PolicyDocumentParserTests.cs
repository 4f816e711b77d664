using System.Text.Json;
using Cordon.ControlPlane.Policy;
using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Requests;

namespace Cordon.ControlPlane.Tests.Policy;

public sealed class PolicyDocumentParserTests
{
    [Theory]
    [InlineData("""{"egress":["api.example.com:443","x.org:80","*.foo"]}""", "egress[2]", "'*.foo' needs a port")]
    [InlineData("""{"egress":["*.com:443"]}""", "egress[0]", "too broad")]
    [InlineData("""{"egress":["bad_host!:443"]}""", "egress[0]", "is not a host name")]
    [InlineData("""{"egress":["example.com:70000"]}""", "egress[0]", "bad port")]
    [InlineData("""{"egress":[443]}""", "egress[0]", "must be a string")]
    [InlineData("""{"egress":"example.com:443"}""", "egress", "must be an array")]
    [InlineData("""{"bogus":1}""", "bogus", "'bogus' is not a field here")]
    [InlineData("""{"runtimes":{"python":{"maxlimits":{}}}}""", "runtimes.python.maxlimits", "is not a field here")]
    [InlineData("""{"maxLimits":{"memoryMb":999999}}""", "maxLimits.memoryMb", "from 16 to 4096")]
    [InlineData("""{"maxLimits":{"cpus":0}}""", "maxLimits.cpus", "above 0")]
    [InlineData("""{"maxLimits":{"timeoutMs":"1000"}}""", "maxLimits.timeoutMs", "whole number")]
    [InlineData("""{"runtimes":{"python":{"dependencies":[{"name":"requests","version":">=two"}]}}}""", "runtimes.python.dependencies[0].version", "not a PEP 440 version")]
    [InlineData("""{"runtimes":{"javascript":{"dependencies":[{"name":"lodash","version":"^latest"}]}}}""", "runtimes.javascript.dependencies[0].version", "npm range")]
    [InlineData("""{"runtimes":{"python":{"dependencies":[{"name":"requests"},{"name":"Requests"}]}}}""", "runtimes.python.dependencies[1].name", "listed twice")]
    [InlineData("""{"runtimes":{"python":{"dependencies":[{"name":"requests","pin":"1"}]}}}""", "runtimes.python.dependencies[0].pin", "is not a field here")]
    [InlineData("""{"runtimes":{"python":{"dependencies":[{"version":"1"}]}}}""", "runtimes.python.dependencies[0].name", "package name")]
    [InlineData("""{"runtimes":{"bash":{"dependencies":[]}}}""", "runtimes.bash.dependencies", "no package manager")]
    [InlineData("""{"runtimes":{"Python":{}}}""", "runtimes.Python", "not a runtime name")]
    [InlineData("""{"runtimes":[]}""", "runtimes", "must be an object")]
    [InlineData("""{"secrets":["api_token"]}""", "secrets[0]", "secret name")]
    [InlineData("""{"secrets":["A","A"]}""", "secrets[1]", "listed twice")]
    [InlineData("""{"quotas":{"concurrentJobs":-1}}""", "quotas.concurrentJobs", "from 0")]
    [InlineData("""{"quotas":{"requestsPerSecond":0}}""", "quotas.requestsPerSecond", "above 0")]
    [InlineData("""{"quotas":{"burst":0}}""", "quotas.burst", "from 1")]
    [InlineData("""{"quotas":{"perMinute":1}}""", "quotas.perMinute", "is not a field here")]
    [InlineData("""{"secrets":[],"secrets":["A"]}""", "secrets", "given twice")]
    [InlineData("""[]""", "$", "must be a JSON object")]
    public void Parse_BadDocument_NamesTheField(string json, string field, string message)
    {
        var errors = Parse(json, out var document);

        Assert.Null(document);
        Assert.True(errors.TryGetValue(field, out var messages), $"no error for {field}; got {string.Join(", ", errors.Keys)}");
        Assert.Contains(messages, m => m.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_FullDocument_ReadsEverything()
    {
        var errors = Parse("""
            {
              "runtimes": {
                "python": { "maxLimits": { "memoryMb": 1024 }, "dependencies": [{ "name": "Requests_OAuth", "version": ">=1.3,<2" }] },
                "javascript": { "dependencies": [{ "name": "@types/node", "version": "^22" }] },
                "bash": {}
              },
              "maxLimits": { "timeoutMs": 60000, "cpus": 1.5 },
              "egress": ["API.example.com:443", "*.pythonhosted.org:443"],
              "secrets": ["API_TOKEN"],
              "quotas": { "concurrentJobs": 4, "queuedJobs": 100, "concurrentSessions": 2, "requestsPerSecond": 2.5, "burst": 10 }
            }
            """, out var document);

        Assert.Empty(errors);
        Assert.Equal(["bash", "javascript", "python"], document!.Runtimes!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(1024, document.Runtimes["python"].MaxLimits!.MemoryMb);
        Assert.Equal("requests-oauth", document.Runtimes["python"].Dependencies.Single().Name);
        Assert.True(document.Runtimes["python"].Dependencies.Single().Allows("1.3.1"));
        Assert.False(document.Runtimes["python"].Dependencies.Single().Allows("2.0"));
        Assert.True(document.Runtimes["javascript"].Dependencies.Single().Allows("22.9.0"));
        Assert.Equal(1.5, document.MaxLimits!.Cpus);
        Assert.Equal(["api.example.com:443", "*.pythonhosted.org:443"], document.Egress.Select(e => e.ToString()));
        Assert.Equal(["API_TOKEN"], document.Secrets);
        Assert.Equal(new PolicyQuotas { ConcurrentJobs = 4, QueuedJobs = 100, ConcurrentSessions = 2, RequestsPerSecond = 2.5, Burst = 10 }, document.Quotas);
    }

    [Fact]
    public void Parse_ManyProblems_AreReportedTogether()
    {
        var errors = Parse("""{"egress":["a"],"secrets":["b"],"maxLimits":{"pids":0}}""", out _);
        Assert.Equal(["egress[0]", "maxLimits.pids", "secrets[0]"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Canonicalize_FormattingAndOrder_GiveOneHash()
    {
        using var a = JsonDocument.Parse("""{ "secrets": ["A"], "egress": ["x.org:443"], "maxLimits": { "cpus": 1.50, "memoryMb": 512 } }""");
        using var b = JsonDocument.Parse("""{"maxLimits":{"memoryMb":512,"cpus":1.5},"egress":["x.org:443"],"secrets":["A"]}""");
        var canonical = CanonicalJson.Canonicalize(a.RootElement);

        Assert.Equal("""{"egress":["x.org:443"],"maxLimits":{"cpus":1.5,"memoryMb":512},"secrets":["A"]}""", canonical);
        Assert.Equal(CanonicalJson.Hash(canonical), CanonicalJson.Hash(CanonicalJson.Canonicalize(b.RootElement)));
        Assert.Matches("^sha256:[0-9a-f]{64}$", CanonicalJson.Hash(canonical));
        Assert.Equal("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", TenantPolicyStore.DefaultVersion);
    }

    [Theory]
    [InlineData("api.example.com:443", "api.example.com:443", true)]
    [InlineData("*.example.com:443", "a.example.com:443", true)]
    [InlineData("*.example.com:443", "a.b.example.com:443", true)]
    [InlineData("*.example.com:443", "example.com:443", false)]
    [InlineData("*.example.com:443", "badexample.com:443", false)]
    [InlineData("*.example.com:443", "a.example.com:80", false)]
    [InlineData("api.example.com:443", "API.EXAMPLE.COM:443", true)]
    public void Egress_Matches(string pattern, string destination, bool expected)
    {
        var rule = EgressPattern.Parse(pattern, allowWildcard: true, out _)!;
        var target = EgressPattern.Parse(destination, allowWildcard: false, out _)!;
        Assert.Equal(expected, rule.Matches(target));
    }

    [Theory]
    [InlineData("python", "requests==2.32.3", "requests", "2.32.3")]
    [InlineData("python", "Django_REST.framework == 3.15", "django-rest-framework", "3.15")]
    [InlineData("javascript", "lodash@4.17.21", "lodash", "4.17.21")]
    [InlineData("javascript", "@types/node@22.1.0", "@types/node", "22.1.0")]
    public void DependencySpec_Pinned_Parses(string language, string text, string name, string version)
    {
        var spec = DependencySpec.Parse(language, text, out var problem);
        Assert.True(spec is not null, problem);
        Assert.Equal(name, spec!.Name);
        Assert.Equal(version, spec.Version);
    }

    [Theory]
    [InlineData("python", "requests", "requests", "")]
    [InlineData("python", "requests >= 2, <3", "requests", ">=2,<3")]
    [InlineData("python", "numpy~=1.26", "numpy", "~=1.26")]
    [InlineData("javascript", "lodash@^4", "lodash", "^4")]
    [InlineData("javascript", "lodash", "lodash", "")]
    [InlineData("javascript", "left-pad@>=1.0.0 <2", "left-pad", ">=1.0.0 <2")]
    public void DependencySpec_Range_ParsesWithoutPin(string language, string text, string name, string constraint)
    {
        var spec = DependencySpec.Parse(language, text, out var problem);
        Assert.True(spec is not null, problem);
        Assert.Equal(name, spec!.Name);
        Assert.Null(spec.Version);
        Assert.Equal(constraint, spec.Constraint);
    }

    [Theory]
    [InlineData("python", "requests[socks]==2.32.3")]
    [InlineData("python", "requests==2.32.3; python_version>'3'")]
    [InlineData("python", "requests @ https://evil.test/r.whl")]
    [InlineData("python", "requests=='2'")]
    [InlineData("python", "requests>=two")]
    [InlineData("javascript", "lodash@git+https://evil.test/x.git")]
    [InlineData("javascript", "lodash@file:../x")]
    [InlineData("javascript", "lodash@'1'")]
    [InlineData("bash", "jq==1.7")]
    public void DependencySpec_AnythingButNameAndConstraint_Refused(string language, string text) =>
        Assert.Null(DependencySpec.Parse(language, text, out _));

    private static Dictionary<string, string[]> Parse(string json, out PolicyDocument? document)
    {
        using var parsed = JsonDocument.Parse(json);
        var errors = new ValidationErrors();
        document = PolicyDocumentParser.Parse(parsed.RootElement, new LimitsOptions(), errors);
        try
        {
            errors.ThrowIfAny();
            return [];
        }
        catch (RequestValidationException exception)
        {
            return exception.Errors.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        }
    }
}
