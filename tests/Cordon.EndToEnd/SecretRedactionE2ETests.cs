using System.Net;
using System.Text;
using System.Text.Json;
using Cordon.Contracts.Jobs;
using static Cordon.EndToEnd.E2E;

namespace Cordon.EndToEnd;

/// <summary>
/// A secret from the store, injected into real runc sandboxes, printed by the job in every form it can produce — raw,
/// base64 (standard and URL-safe, padded or not, inside a longer base64 string), hex in both cases, URL-encoded,
/// read back from <c>/proc/self/environ</c>, a file it wrote and <c>/run/secrets</c>, on stdout and stderr — never
/// appears in any answer: the job as REST returns it, or its server-sent events replayed from the store.
/// </summary>
public sealed class SecretRedactionE2ETests(StackFixture stack)
{
    private readonly string _tenant = "red" + Guid.NewGuid().ToString("N")[..8];

    // Characters URL encoding changes (space, '@', ':'), so the URL-encoded form differs from the raw one.
    private readonly string _value = "key " + Guid.NewGuid().ToString("N") + "@vault:7";

    private HttpClient Client => stack.ClientFor(_tenant, "jobs:run sessions:use secrets:write");

    public static TheoryData<string, string> Programs => new()
    {
        {
            "python", """
            import base64, os, sys, urllib.parse
            v = os.environ["API_TOKEN"].encode()
            print(v.decode()); print(base64.b64encode(v).decode()); print(base64.urlsafe_b64encode(v).decode().rstrip("="))
            print(v.hex()); print(v.hex().upper()); print(urllib.parse.quote(v.decode(), safe="")); print(urllib.parse.quote_plus(v.decode()))
            print("x" + base64.b64encode(b"ab" + v + b"cd").decode())
            print(open("/proc/self/environ", "rb").read().replace(b"\0", b"\n").decode())
            open("copy.txt", "wb").write(v); print(open("copy.txt").read())
            print(open("/run/secrets/API_TOKEN").read())
            for b in v:
                sys.stdout.write(chr(b)); sys.stdout.flush()
            print(); sys.stderr.write(v.decode() + "\n")
            """
        },
        {
            "javascript", """
            const fs = require("fs");
            const v = process.env.API_TOKEN, b = Buffer.from(v);
            console.log(v); console.log(b.toString("base64")); console.log(b.toString("base64url"));
            console.log(b.toString("hex")); console.log(b.toString("hex").toUpperCase()); console.log(encodeURIComponent(v));
            console.log(fs.readFileSync("/run/secrets/API_TOKEN", "utf8")); console.error(v);
            """
        },
        {
            "bash", """
            printf '%s\n' "$API_TOKEN"; printf %s "$API_TOKEN" | base64 -w0; echo
            printf %s "$API_TOKEN" | od -An -tx1 | tr -d ' \n'; echo
            tr '\0' '\n' < /proc/self/environ; cat /run/secrets/API_TOKEN; echo; echo "$API_TOKEN" >&2
            """
        },
        {
            "c", """
            #include <stdio.h>
            #include <stdlib.h>
            int main(void) {
                const char *v = getenv("API_TOKEN");
                printf("%s\n", v);
                for (const char *p = v; *p; p++) printf("%02x", (unsigned char)*p);
                printf("\n");
                char buffer[256];
                FILE *f = fopen("/run/secrets/API_TOKEN", "r");
                size_t n = fread(buffer, 1, sizeof buffer - 1, f);
                buffer[n] = 0;
                printf("%s\n", buffer);
                fprintf(stderr, "%s\n", v);
                return 0;
            }
            """
        },
    };

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task InjectedSecret_PrintedInEveryForm_IsInNoAnswer(string language, string code)
    {
        await StoreAsync();
        var body = $$"""{"language":"{{language}}","code":{{JsonString(code)}},"secrets":[{"name":"API_TOKEN","file":true}]}""";
        var job = await Client.RunAsync(stack, body);

        job.Expect(JobStatus.Succeeded, stack);
        Assert.Contains("[REDACTED:API_TOKEN]", job.Stdout, StringComparison.Ordinal);
        Assert.Contains("[REDACTED:API_TOKEN]", job.Stderr, StringComparison.Ordinal);
        var rest = await Client.GetStringAsync(new Uri($"/v1/jobs/{job.Id}", UriKind.Relative), Ct);
        var events = await Client.GetStringAsync(new Uri($"/v1/jobs/{job.Id}/events", UriKind.Relative), Ct);
        AssertNoForm(language, "GET /v1/jobs/{id}", JsonStrings(rest));
        AssertNoForm(language, "GET /v1/jobs/{id}/events", string.Join('\n', events.Split('\n')
            .Where(line => line.StartsWith("data:", StringComparison.Ordinal))
            .Select(line => JsonStrings(line["data:".Length..]))));
    }

    private void AssertNoForm(string language, string where, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(_value);
        var forms = new Dictionary<string, string>
        {
            ["raw"] = _value,
            ["base64"] = Convert.ToBase64String(bytes),
            ["base64url"] = Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
            ["hex"] = Convert.ToHexStringLower(bytes),
            ["HEX"] = Convert.ToHexString(bytes),
            ["url"] = Uri.EscapeDataString(_value),
            ["url+"] = WebUtility.UrlEncode(_value),
        };
        foreach (var (form, encoded) in forms)
        {
            Assert.False(text.Contains(encoded, StringComparison.Ordinal), $"{language}: {where} holds the secret ({form}):\n{text}");
        }

        // The value inside a longer base64 string, at another byte alignment, decodes to nothing of it.
        foreach (var line in text.Split('\n').Where(l => l.StartsWith('x')))
        {
            var decoded = TryBase64(line[1..]);
            Assert.False(decoded is not null && Encoding.UTF8.GetString(decoded).Contains(_value, StringComparison.Ordinal), $"{language}: {where} holds the secret inside base64");
        }
    }

    /// <summary>Every string in a JSON document, unescaped (the encoder writes '+' as \u002B), one per line.</summary>
    private static string JsonStrings(string json)
    {
        using var document = JsonDocument.Parse(json);
        var strings = new List<string>();
        Collect(document.RootElement, strings);
        return string.Join('\n', strings);
    }

    private static void Collect(JsonElement element, List<string> strings)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                strings.Add(element.GetString()!);
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Collect(property.Value, strings);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, strings);
                }

                break;
        }
    }

    private static byte[]? TryBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text.Trim(), buffer, out var written) ? buffer[..written] : null;
    }

    private async Task StoreAsync()
    {
        var admin = stack.ClientFor("ops", "admin");
        (await admin.PutAsync(new Uri($"/v1/admin/tenants/{_tenant}/policy", UriKind.Relative), Json("""{"secrets":["API_TOKEN"]}"""), Ct)).EnsureSuccessStatusCode();
        var put = await Client.PutAsync(new Uri("/v1/secrets/API_TOKEN", UriKind.Relative), Json($$"""{"value":{{JsonString(_value)}}}"""), Ct);
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
    }

    private static string JsonString(string value) => "\"" + JsonEncodedText.Encode(value) + "\"";
}
