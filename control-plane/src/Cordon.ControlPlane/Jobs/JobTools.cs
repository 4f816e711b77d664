using System.ComponentModel;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Secrets;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.Mcp;
using Microsoft.AspNetCore.Authorization;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Cordon.ControlPlane.Jobs;

/// <summary>The <c>run_code</c> MCP tool: a one-shot job in a fresh sandbox that is destroyed when it ends.</summary>
[McpServerToolType]
internal sealed class JobTools
{
    [McpServerTool(Name = "run_code", Title = "Run code in a sandbox", Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ExecutionResult))]
    [Description("Runs a program once in a fresh, isolated sandbox (no network unless 'egress' names destinations, limited CPU, memory and time) and returns "
        + "its stdout, stderr, exit code and status. The sandbox is destroyed afterwards: nothing persists between calls — "
        + "use create_session and run_in_session for state. Give either 'code' or 'files'. A program that fails is not an "
        + "error of the tool: read status, reason and stderr, fix the program and call again. Files the program writes can "
        + "be collected with 'artifacts' globs; images among them (PNG, JPEG, GIF, WebP) are returned as image content.")]
    [Authorize(Policy = Scopes.JobsRun)]
    public static async Task<CallToolResult> RunCodeAsync(
        JobCreator creator,
        JobArtifacts jobArtifacts,
        JobFollower follower,
        RequestContext<CallToolRequestParams> request,
        IProgress<ProgressNotificationValue> progress,
        [Description("Language or alias: python, javascript, bash, c, cpp (list_runtimes has them all).")] string language,
        [Description("The program's source; it is written to the runtime's file name (e.g. main.py) and run. Either this or files.")] string? code = null,
        [Description("Files written to /workspace before the run, for programs of several files. Either this or code.")] IReadOnlyList<FileInput>? files = null,
        [Description("With files: the file to run; default the runtime's file name (main.py, main.c, …).")] string? entrypoint = null,
        [Description("Standard input, passed byte-exact (add the trailing newline yourself if the program reads lines).")] string? stdin = null,
        [Description("Command-line arguments.")] IReadOnlyList<string>? args = null,
        [Description("Environment variables.")] IReadOnlyDictionary<string, string>? env = null,
        [Description("Packages to install first, e.g. ['requests==2.32.3']; only those the tenant's policy allows.")] IReadOnlyList<string>? dependencies = null,
        [Description("Resource limits; omitted members take the runtime's defaults.")] LimitsInput? limits = null,
        [Description("Workspace globs collected after the run, e.g. ['*.png', 'out/**']; images come back as image content.")] IReadOnlyList<string>? artifacts = null,
        [Description("Names of the tenant's secrets the program gets as environment variables (only those its policy allows); their values never come back: every form of them is redacted from what the tools return.")] IReadOnlyList<string>? secrets = null,
        [Description("Secrets the program uses without ever seeing them: its environment variable holds a placeholder that the egress proxy replaces with the value in request headers to the listed hosts only (e.g. send 'Authorization: Bearer $API_TOKEN').")] IReadOnlyList<ProxySecretInput>? proxySecrets = null,
        [Description("Destinations host:port the program may reach (HTTP and HTTPS, through the egress proxy: HTTP_PROXY is set), e.g. ['pypi.org:443']; only those the tenant's policy allows. Without it the sandbox has no network at all.")] IReadOnlyList<string>? egress = null,
        CancellationToken cancellationToken = default)
    {
        var job = await creator.CreateAsync(
            new CreateJobRequest
            {
                Language = language,
                Code = code,
                Files = files?.Select(f => new JobFile { Path = f.Path, Content = f.Content, Encoding = f.Encoding }).ToList(),
                Entrypoint = entrypoint,
                Stdin = stdin,
                Args = args,
                Env = env,
                Dependencies = dependencies,
                Limits = limits?.ToContract(),
                Artifacts = artifacts,
                Secrets = secrets is null && proxySecrets is null ? null : [.. (secrets ?? []).Select(SecretRequest.Named), .. (proxySecrets ?? []).Select(p => p.ToContract())],
                Network = egress is null ? null : new NetworkRequest { Egress = egress },
                Wait = false,
            },
            idempotencyKey: null,
            storeDenial: false,
            cancellationToken);

        var finished = await follower.FollowAsync(job, request.Params?.ProgressToken is null ? null : progress, cancellationToken);
        var images = await ImageArtifacts.ReadAsync(jobArtifacts, finished, cancellationToken);
        return ExecutionResults.ToToolResult(ExecutionResults.From(finished), images);
    }
}
