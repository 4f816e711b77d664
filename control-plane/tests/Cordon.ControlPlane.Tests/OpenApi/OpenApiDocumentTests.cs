using System.Net;
using System.Text.Json;
using Cordon.ControlPlane.Tests.Infrastructure;
using Cordon.TestSupport;

namespace Cordon.ControlPlane.Tests.OpenApi;

/// <summary>
/// The served <c>/openapi/v1.json</c> is the checked-in <c>docs/openapi.json</c>; after a meant change of the API,
/// <c>CORDON_UPDATE_OPENAPI=1</c> on this test writes the file anew (then review and commit it).
/// </summary>
public sealed class OpenApiDocumentTests : ApiTestBase
{
    private static readonly string CheckedIn = RepoPaths.Combine("docs", "openapi.json");

    [Fact]
    public async Task ServedDocument_IsTheCheckedInFile()
    {
        var response = await Factory.CreateClient().GetAsync(new Uri("/openapi/v1.json", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var served = OpenApiContract.Normalise(await response.Content.ReadAsStringAsync(Ct));
        if (Environment.GetEnvironmentVariable("CORDON_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(CheckedIn, served, Ct);
        }

        Assert.True(File.Exists(CheckedIn), $"{CheckedIn} is missing; CORDON_UPDATE_OPENAPI=1 writes it.");
        var file = await File.ReadAllTextAsync(CheckedIn, Ct);
        Assert.True(file == served,
            "docs/openapi.json is not the document the control plane serves. After a meant API change run " +
            "CORDON_UPDATE_OPENAPI=1 dotnet test --project control-plane/tests/Cordon.ControlPlane.Tests -c Release --filter-class '*OpenApiDocumentTests', " +
            "then review and commit the file. First difference at character " + FirstDifference(file, served) + ".");
    }

    [Fact]
    public async Task Document_IsOpenApi31_OfV1Only_WithBearerSchemeAndProblems()
    {
        var contract = await OpenApiContract.LoadAsync(Factory.CreateClient());
        var document = contract.Document;

        Assert.StartsWith("3.1.", document["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("http", document["components"]!["securitySchemes"]!["bearer"]!["type"]!.GetValue<string>());
        var paths = document["paths"]!.AsObject();
        Assert.All(paths, path => Assert.StartsWith("/v1", path.Key, StringComparison.Ordinal));
        foreach (var path in new[] { "/v1/jobs", "/v1/sessions", "/v1/secrets", "/v1/admin/tenants/{tenant}/policy", "/v1/runtimes" })
        {
            Assert.True(paths.ContainsKey(path), path);
        }

        foreach (var (path, item) in paths)
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var what = $"{method} {path}";
                Assert.False(string.IsNullOrEmpty(operation!["summary"]?.GetValue<string>()), $"{what} has no summary");
                if (path == "/v1/info")
                {
                    Assert.Null(operation["security"]);
                    continue;
                }

                Assert.NotNull(operation["security"]?[0]?["bearer"]);
                foreach (var status in new[] { "401", "403", "429" })
                {
                    var problem = operation["responses"]?[status]?["content"]?["application/problem+json"];
                    Assert.True(problem is not null, $"{what} does not document its {status} problem");
                }
            }
        }

        var schemas = document["components"]!["schemas"]!.AsObject();
        foreach (var name in new[] { "Job", "CreateJobRequest", "Session", "TenantPolicy", "SecretInfo", "ProblemDetails", "HttpValidationProblemDetails", "JobNetwork" })
        {
            Assert.True(schemas.ContainsKey(name), $"no schema {name}");
        }

        Assert.Equal(["queued", "running", "succeeded", "failed", "compile_error", "timeout", "memory_limit", "output_limit", "cancelled", "rejected", "error"],
            schemas["JobStatus"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public async Task EveryExample_IsValidAgainstItsSchema()
    {
        var contract = await OpenApiContract.LoadAsync(Factory.CreateClient());
        var examples = 0;
        foreach (var (name, schema) in contract.Document["components"]!["schemas"]!.AsObject())
        {
            foreach (var example in schema!["examples"]?.AsArray() ?? [])
            {
                contract.AssertValid(new System.Text.Json.Nodes.JsonObject { ["$ref"] = "#/components/schemas/" + name },
                    JsonSerializer.SerializeToElement(example), $"the example of {name}");
                examples++;
            }
        }

        Assert.True(examples >= 8, $"only {examples} examples");
    }

    private static int FirstDifference(string a, string b)
    {
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i])
        {
            i++;
        }

        return i;
    }
}
