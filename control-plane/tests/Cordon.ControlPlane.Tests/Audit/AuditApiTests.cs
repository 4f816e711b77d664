using System.Net;
using System.Net.Http.Json;
using Cordon.Contracts.Audit;
using Cordon.Contracts.Problems;
using Cordon.ControlPlane.Audit;
using Cordon.ControlPlane.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Cordon.ControlPlane.Tests.Audit;

/// <summary><c>GET /v1/audit</c> and <c>/v1/audit/verify</c>: scopes, tenant scoping, filters, paging and bad input.</summary>
public sealed class AuditApiTests : ApiTestBase
{
    [Fact]
    public async Task List_AuditRead_SeesOnlyItsTenant()
    {
        await SeedAsync();

        var page = await (await Factory.ClientFor("acme", "audit:read").GetAsync("/v1/audit?action=test.seed&limit=1000", Ct)).ReadAsync<AuditPage>();

        Assert.Equal(5, page.Items.Count);
        Assert.All(page.Items, r => Assert.Equal("acme", r.Tenant));
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task List_Admin_SeesEveryTenant()
    {
        await SeedAsync();

        var page = await (await Factory.ClientFor("ops", "admin").GetAsync("/v1/audit?action=test.seed", Ct)).ReadAsync<AuditPage>();

        Assert.Equal(8, page.Items.Count);
        Assert.Equal(["acme", "globex"], page.Items.Select(r => r.Tenant).Distinct().Order());
    }

    [Fact]
    public async Task List_Paged_EveryRecordOnceInOrder()
    {
        await SeedAsync();
        var client = Factory.ClientFor("acme", "audit:read");
        var seen = new List<AuditRecord>();
        string? cursor = null;
        do
        {
            var page = await (await client.GetAsync($"/v1/audit?action=test.seed&limit=2{(cursor is null ? "" : "&cursor=" + cursor)}", Ct)).ReadAsync<AuditPage>();
            Assert.True(page.Items.Count <= 2);
            seen.AddRange(page.Items);
            cursor = page.Next;
        }
        while (cursor is not null);

        Assert.Equal(["a0", "a1", "a2", "a3", "a4"], seen.Select(r => r.Target));
        Assert.Equal(seen.Select(r => r.Seq).Order(), seen.Select(r => r.Seq));
        Assert.All(seen, r => Assert.Equal("seeded", r.Details["detail"]));
    }

    [Fact]
    public async Task List_TimeRange_FiltersByTime()
    {
        await SeedAsync();
        var client = Factory.ClientFor("acme", "audit:read");

        var future = await (await client.GetAsync("/v1/audit?from=2999-01-01T00:00:00Z", Ct)).ReadAsync<AuditPage>();
        var past = await (await client.GetAsync("/v1/audit?to=2000-01-01T00:00:00Z", Ct)).ReadAsync<AuditPage>();
        var now = await (await client.GetAsync($"/v1/audit?action=test.seed&from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"))}", Ct)).ReadAsync<AuditPage>();

        Assert.Empty(future.Items);
        Assert.Empty(past.Items);
        Assert.Equal(5, now.Items.Count);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("limit=100000", "limit")]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    public async Task List_BadQuery_ProblemNamingTheParameter(string query, string field)
    {
        var response = await Factory.ClientFor("acme", "audit:read").GetAsync("/v1/audit?" + query, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>(Ct);
        Assert.Equal(ProblemTypes.Validation, problem!.Type);
        Assert.Contains(field, problem.Errors.Keys);
    }

    [Fact]
    public async Task List_WithoutAuditRead_Forbidden()
    {
        var response = await Factory.ClientFor("acme", "jobs:run").GetAsync("/v1/audit", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Verify_AuditReadOnly_Forbidden()
    {
        var response = await Factory.ClientFor("acme", "audit:read").GetAsync("/v1/audit/verify", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Verify_Admin_ValidUpToTheHead()
    {
        await SeedAsync();
        var head = Factory.Services.GetRequiredService<AuditLog>().Head;

        var result = await (await Factory.ClientFor("ops", "admin").GetAsync("/v1/audit/verify", Ct)).ReadAsync<AuditVerification>();

        Assert.True(result.Valid, result.Reason);
        Assert.True(result.Events >= head.Seq);
        Assert.Null(result.BrokenSeq);
    }

    [Fact]
    public async Task Verify_RecordAltered_InvalidNamingIt()
    {
        await SeedAsync();
        var log = Factory.Services.GetRequiredService<AuditLog>();
        var segment = Cordon.Audit.AuditSegmentFiles.List(log.Directory)[^1];
        var lines = await File.ReadAllLinesAsync(segment, Ct);
        var index = Array.FindIndex(lines, l => l.Contains("\"a2\"", StringComparison.Ordinal));
        var seq = Cordon.Audit.AuditRecordParser.TryParse(System.Text.Encoding.UTF8.GetBytes(lines[index]), out var record, out _) ? record!.Seq : -1;
        lines[index] = lines[index].Replace("\"a2\"", "\"a9\"", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(segment, lines, Ct);

        var result = await (await Factory.ClientFor("ops", "admin").GetAsync("/v1/audit/verify", Ct)).ReadAsync<AuditVerification>();

        Assert.False(result.Valid);
        Assert.Equal(seq, result.BrokenSeq);
    }

    private async Task SeedAsync()
    {
        var sink = Factory.Services.GetRequiredService<IAuditSink>();
        for (var i = 0; i < 5; i++)
        {
            await sink.WriteAsync(new AuditEvent("test.seed", "acme", "user-1", $"a{i}", "ok", Detail: "seeded"), Ct);
        }

        for (var i = 0; i < 3; i++)
        {
            await sink.WriteAsync(new AuditEvent("test.seed", "globex", "user-2", $"g{i}", "ok"), Ct);
        }
    }
}
