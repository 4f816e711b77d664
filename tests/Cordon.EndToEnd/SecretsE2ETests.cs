using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Sessions;
using static Cordon.EndToEnd.E2E;

namespace Cordon.EndToEnd;

/// <summary>
/// Secrets delivered into real runc sandboxes: a requested secret is the job's environment variable and, when asked,
/// <c>/run/secrets/NAME</c> (0400, the job's uid, on a tmpfs); a job that did not ask has it nowhere — not in its
/// environment, <c>/proc/self/environ</c> or <c>/run/secrets</c>. The jobs print digests and modes, never the values.
/// </summary>
public sealed class SecretsE2ETests(StackFixture stack)
{
    private readonly string _tenant = "sec" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _token = "tok-" + Guid.NewGuid().ToString("N");
    private readonly string _cert = "-----BEGIN CERT-----\n" + Guid.NewGuid().ToString("N") + "\n-----END CERT-----\n";

    private HttpClient Client => stack.ClientFor(_tenant, "jobs:run sessions:use secrets:write");

    private HttpClient Admin => stack.ClientFor("ops", "admin");

    [Fact]
    public async Task Python_RequestedSecret_InEnvironAndFile0400()
    {
        await StoreAsync();
        var code = """
            import hashlib, os, stat
            h = lambda b: hashlib.sha256(b).hexdigest()
            print("env", h(os.environ["API_TOKEN"].encode()))
            environ = open("/proc/self/environ", "rb").read().split(b"\0")
            print("environ", h([e for e in environ if e.startswith(b"API_TOKEN=")][0][len(b"API_TOKEN="):]))
            st = os.stat("/run/secrets/CERT_PEM")
            print("file", h(open("/run/secrets/CERT_PEM", "rb").read()), oct(stat.S_IMODE(st.st_mode)), st.st_uid == os.getuid())
            print("dir", sorted(os.listdir("/run/secrets")), oct(stat.S_IMODE(os.stat("/run/secrets").st_mode)))
            print("cert-env", "CERT_PEM" in os.environ)
            """;
        var job = await Client.RunAsync(stack, Body("python", code, """["API_TOKEN",{"name":"CERT_PEM","file":true,"env":false}]"""));

        job.Expect(JobStatus.Succeeded, stack);
        Assert.Equal(
            $"env {Sha(_token)}\nenviron {Sha(_token)}\nfile {Sha(_cert)} 0o400 True\ndir ['CERT_PEM'] 0o500\ncert-env False\n",
            job.Stdout);
        Assert.True(await IsTmpfsAsync(), "/run/secrets is a tmpfs");
    }

    [Fact]
    public async Task Bash_RequestedSecret_InEnvironAndFile0400()
    {
        await StoreAsync();
        var code = """
            printf 'env %s\n' "$(printf %s "$API_TOKEN" | sha256sum | cut -d' ' -f1)"
            printf 'file %s %s %s\n' "$(sha256sum < /run/secrets/API_TOKEN | cut -d' ' -f1)" "$(stat -c %a /run/secrets/API_TOKEN)" "$([ "$(stat -c %u /run/secrets/API_TOKEN)" = "$(id -u)" ] && echo mine)"
            printf 'write %s\n' "$( (echo x > /run/secrets/NEW) 2>/dev/null && echo allowed || echo refused)"
            """;
        var job = await Client.RunAsync(stack, Body("bash", code, """[{"name":"API_TOKEN","file":true}]"""));

        job.Expect(JobStatus.Succeeded, stack);
        Assert.Equal($"env {Sha(_token)}\nfile {Sha(_token)} 400 mine\nwrite refused\n", job.Stdout);
    }

    [Theory]
    [InlineData("python")]
    [InlineData("bash")]
    public async Task NotRequested_IsNowhereInTheSandbox(string language)
    {
        await StoreAsync();
        // The job knows the value (its code carries it) only to look for it; it was never injected.
        var code = language == "python"
            ? $$"""
                import os
                v = b"{{_token}}"
                print("env", any(v in (k + "=" + x).encode() for k, x in os.environ.items()))
                print("environ", v in open("/proc/self/environ", "rb").read())
                print("files", os.listdir("/run/secrets"))
                """
            : $$"""
                v='{{_token}}'
                if env | grep -qF "$v"; then echo "env True"; else echo "env False"; fi
                if grep -qaF "$v" /proc/self/environ; then echo "environ True"; else echo "environ False"; fi
                echo "files $(ls -A /run/secrets | wc -l)"
                """;
        var job = await Client.RunAsync(stack, $$"""{"language":"{{language}}","code":{{JsonString(code)}}}""");

        job.Expect(JobStatus.Succeeded, stack);
        Assert.Equal(language == "python" ? "env False\nenviron False\nfiles []\n" : "env False\nenviron False\nfiles 0\n", job.Stdout);
    }

    [Fact]
    public async Task Session_SecretsLastForEveryExecution()
    {
        await StoreAsync();
        var created = await Client.PostAsync("/v1/sessions", Json("""{"language":"bash","secrets":[{"name":"CERT_PEM","file":true},"API_TOKEN"]}"""), Ct);
        var session = await created.ReadAsync<Session>(stack);
        try
        {
            foreach (var _ in new[] { 1, 2 })
            {
                var exec = await (await Client.PostAsJsonAsync($"/v1/sessions/{session.Id}/exec",
                    new { command = "printf '%s %s %s\\n' \"$(printf %s \"$API_TOKEN\" | sha256sum | cut -d' ' -f1)\" \"$(sha256sum < /run/secrets/CERT_PEM | cut -d' ' -f1)\" \"$(stat -c %a /run/secrets/CERT_PEM)\"" }, Ct))
                    .ReadAsync<Job>(stack);
                exec.Expect(JobStatus.Succeeded, stack);
                Assert.Equal($"{Sha(_token)} {Sha(_cert)} 400\n", exec.Stdout);
            }
        }
        finally
        {
            await Client.DeleteAsync($"/v1/sessions/{session.Id}", Ct);
        }
    }

    [Fact]
    public async Task Session_OnAnotherReplica_OutputAndFilesStillRedacted_ChangedValueFailsClosed()
    {
        await StoreAsync();
        var created = await Client.PostAsync("/v1/sessions", Json("""{"language":"bash","secrets":["API_TOKEN"]}"""), Ct);
        var session = await created.ReadAsync<Session>(stack);
        try
        {
            // A replica that did not create the session (or this one after a restart) has no redactor in memory: it
            // rebuilds it from the store by the session's secret references.
            using var replica = Replica(await stack.StartReplicaAsync(Ct));
            var exec = await (await replica.PostAsJsonAsync($"/v1/sessions/{session.Id}/exec",
                new { command = "echo \"raw $API_TOKEN\"; printf %s \"$API_TOKEN\" > \"f-$API_TOKEN.txt\"" }, Ct)).ReadAsync<Job>(stack);
            exec.Expect(JobStatus.Succeeded, stack);
            Assert.Equal("raw [REDACTED:API_TOKEN]\n", exec.Stdout);
            var files = await replica.GetStringAsync($"/v1/sessions/{session.Id}/files", Ct);
            Assert.Contains("f-[REDACTED:API_TOKEN].txt", files, StringComparison.Ordinal);
            Assert.DoesNotContain(_token, files, StringComparison.Ordinal);

            // The stored value changes: a replica that never knew the old one cannot redact it, and says so.
            Assert.Equal(HttpStatusCode.NoContent, (await Client.PutAsync("/v1/secrets/API_TOKEN", Json("""{"value":"a-new-value"}"""), Ct)).StatusCode);
            using var late = Replica(await stack.StartReplicaAsync(Ct));
            var refused = await late.PostAsJsonAsync($"/v1/sessions/{session.Id}/exec", new { command = "echo $API_TOKEN" }, Ct);
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            var body = await refused.Content.ReadAsStringAsync(Ct);
            Assert.Contains("cannot redact", body, StringComparison.Ordinal);
            Assert.DoesNotContain(_token, body, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Conflict, (await late.GetAsync($"/v1/sessions/{session.Id}/files", Ct)).StatusCode);

            // The replica that knew the value still does.
            var again = await (await replica.PostAsJsonAsync($"/v1/sessions/{session.Id}/exec", new { command = "echo \"raw $API_TOKEN\"" }, Ct)).ReadAsync<Job>(stack);
            Assert.Equal("raw [REDACTED:API_TOKEN]\n", again.Stdout);
        }
        finally
        {
            await Client.DeleteAsync($"/v1/sessions/{session.Id}", Ct);
        }
    }

    private HttpClient Replica(Uri url)
    {
        var client = stack.Client(stack.Token(_tenant, "jobs:run sessions:use files:rw"));
        client.BaseAddress = url;
        return client;
    }

    [Fact]
    public async Task OtherTenantsSecret_Is404_AndPolicyDecides()
    {
        await StoreAsync();
        var other = stack.ClientFor("x" + _tenant, "jobs:run");
        (await Admin.PutAsync($"/v1/admin/tenants/x{_tenant}/policy", Json("""{"secrets":["API_TOKEN"]}"""), Ct)).EnsureSuccessStatusCode();

        var stolen = await other.PostAsync("/v1/jobs", Json("""{"language":"bash","code":"echo $API_TOKEN","secrets":["API_TOKEN"]}"""), Ct);
        Assert.Equal(HttpStatusCode.NotFound, stolen.StatusCode);
        var denied = await Client.PostAsync("/v1/jobs", Json("""{"language":"bash","code":"true","secrets":["NOT_ALLOWED"]}"""), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    private async Task StoreAsync()
    {
        (await Admin.PutAsync($"/v1/admin/tenants/{_tenant}/policy", Json("""{"secrets":["API_TOKEN","CERT_PEM"]}"""), Ct)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NoContent, (await Client.PutAsync("/v1/secrets/API_TOKEN", Json($$"""{"value":{{JsonString(_token)}}}"""), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.PutAsync("/v1/secrets/CERT_PEM", Json($$"""{"value":{{JsonString(_cert)}}}"""), Ct)).StatusCode);
    }

    private async Task<bool> IsTmpfsAsync()
    {
        var job = await Client.RunAsync(stack, """{"language":"bash","code":"awk '$2 == \"/run/secrets\" { print $3 }' /proc/self/mounts"}""");
        return job.Stdout == "tmpfs\n";
    }

    private static string Body(string language, string code, string secrets) =>
        $$"""{"language":"{{language}}","code":{{JsonString(code)}},"secrets":{{secrets}}}""";

    private static string JsonString(string value) => "\"" + System.Text.Json.JsonEncodedText.Encode(value) + "\"";

    private static string Sha(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
