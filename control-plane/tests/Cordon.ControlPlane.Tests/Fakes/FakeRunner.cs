using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Cordon.Contracts.Runner.V1;
using Cordon.Encryption;
using Google.Protobuf;
using Grpc.Core;

namespace Cordon.ControlPlane.Tests.Fakes;

/// <summary>
/// An in-process <c>cordon.runner.v1</c> server whose "programs" are a tiny script language, so the control plane's
/// real gRPC adapter is exercised without sandboxes. A job's main file holds lines such as <c>out TEXT</c>,
/// <c>err TEXT</c>, <c>stdin</c>, <c>sleep MS</c>, <c>hang</c>, <c>die</c>, <c>bytes N</c>, <c>flood N</c>, <c>exit N</c>, <c>status NAME</c>,
/// <c>error TEXT</c>, <c>signal TEXT</c> (both with escapes such as <c>\n</c> decoded), <c>artifact PATH TEXT</c>.
/// </summary>
internal sealed class FakeRunner(FakeRunnerState state) : Runner.RunnerBase
{
    public override Task<HealthReply> GetHealth(HealthRequest request, ServerCallContext context)
    {
        Authorize(context);
        var reply = new HealthReply { RunnerId = "fake", Version = "test", OciRuntime = "none", Capacity = state.Capacity, ActiveSandboxes = state.Sandboxes.Count, Ready = true };
        // python reports its default limits as a runner does; c does not, as an older runner would not.
        reply.Runtimes.Add(new RuntimeDescriptor
        {
            Language = "python",
            Version = "3.11.2",
            FileName = "main.py",
            Aliases = { "py", "python3" },
            DefaultLimits = new Limits { TimeoutMs = 10_000, MemoryMb = 256, Cpus = 1, Pids = 128, OutputBytes = 1_048_576, DiskMb = 128 },
        });
        reply.Runtimes.Add(new RuntimeDescriptor { Language = "c", Version = "12", FileName = "main.c", Compiled = true });
        return Task.FromResult(reply);
    }

    public override async Task RunJob(RunJobRequest request, IServerStreamWriter<ExecEvent> responseStream, ServerCallContext context)
    {
        Authorize(context);
        state.LastRunJob = request;
        var main = request.Files.FirstOrDefault(f => f.Path == request.Entrypoint) ?? request.Files.First();
        var result = new ExecResult { Status = ExecStatus.Succeeded, HasExitCode = true, DurationMs = 5, Usage = new Usage { CpuMs = 1, PeakMemoryBytes = 1024 } };
        foreach (var line in main.Content.ToStringUtf8().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var (verb, rest) = Split(line);
            switch (verb)
            {
                case "out":
                    await Write(responseStream, OutputStream.Stdout, rest + "\n");
                    break;
                case "err":
                    await Write(responseStream, OutputStream.Stderr, rest + "\n");
                    break;
                case "stdin":
                    await responseStream.WriteAsync(new ExecEvent { Output = new OutputChunk { Stream = OutputStream.Stdout, Data = request.Stdin } });
                    break;
                case "sleep":
                    await Task.Delay(int.Parse(rest, System.Globalization.CultureInfo.InvariantCulture), context.CancellationToken);
                    break;
                case "hang":
                    await Task.Delay(Timeout.Infinite, context.CancellationToken);
                    break;
                case "bytes":
                    // One chunk per byte, as from a program writing one byte per write().
                    var count = int.Parse(rest, System.Globalization.CultureInfo.InvariantCulture);
                    for (var i = 0; i < count; i++)
                    {
                        await responseStream.WriteAsync(new ExecEvent { Output = new OutputChunk { Stream = OutputStream.Stdout, Data = ByteString.CopyFromUtf8("x") } });
                    }

                    break;
                case "flood":
                    // N bytes of stdout in 64 KiB chunks (the runner's frame size), lines of 'y'.
                    var total = long.Parse(rest, System.Globalization.CultureInfo.InvariantCulture);
                    var block = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(new string('y', 63) + "\n", 1024)));
                    for (long sent = 0; sent < total; sent += block.Length)
                    {
                        var size = (int)Math.Min(block.Length, total - sent);
                        await responseStream.WriteAsync(new ExecEvent { Output = new OutputChunk { Stream = OutputStream.Stdout, Data = ByteString.CopyFrom(block, 0, size) } });
                    }

                    break;
                case "die":
                    // The connection breaks mid-call, as when the runner process is killed.
                    context.GetHttpContext().Abort();
                    return;
                case "exit":
                    result.ExitCode = int.Parse(rest, System.Globalization.CultureInfo.InvariantCulture);
                    result.Status = result.ExitCode == 0 ? ExecStatus.Succeeded : ExecStatus.Failed;
                    break;
                case "status":
                    result.Status = Enum.Parse<ExecStatus>(rest.Replace("_", "", StringComparison.Ordinal), ignoreCase: true);
                    result.Error = "fake " + rest;
                    break;
                case "error":
                    // What a runner relays from a sandbox's agent, escapes (\n, \x1b, \u2028) decoded: outside text.
                    result.Status = ExecStatus.Error;
                    result.Error = System.Text.RegularExpressions.Regex.Unescape(rest);
                    break;
                case "signal":
                    result.Signal = System.Text.RegularExpressions.Regex.Unescape(rest);
                    break;
                case "connect":
                    // What the egress proxy reports: "connect host:port allowed|denied bytesOut bytesIn [used=NAME] [leak=NAME]".
                    var connection = rest.Split(' ');
                    var (host, port) = Split(connection[0].Replace(':', ' '));
                    result.Network ??= new NetworkUsage();
                    result.Network.Ended.Add(new EgressConnection
                    {
                        Host = host,
                        Port = int.Parse(port, System.Globalization.CultureInfo.InvariantCulture),
                        Address = "198.51.100.7",
                        Allowed = connection[1] == "allowed",
                        Rule = connection[1] == "allowed" ? connection[0] : "",
                        Reason = connection[1] == "allowed" ? "" : "not in this sandbox's allowlist",
                        BytesOut = long.Parse(connection[2], System.Globalization.CultureInfo.InvariantCulture),
                        BytesIn = long.Parse(connection[3], System.Globalization.CultureInfo.InvariantCulture),
                        SecretsUsed = { connection.Skip(4).Where(c => c.StartsWith("used=", StringComparison.Ordinal)).Select(c => c[5..]) },
                        PlaceholderLeaks = { connection.Skip(4).Where(c => c.StartsWith("leak=", StringComparison.Ordinal)).Select(c => c[5..]) },
                    });
                    break;
                case "artifact":
                    var (path, text) = Split(rest);
                    var bytes = Encoding.UTF8.GetBytes(text);
                    // As the runner does: encrypted by the job's data key when the control plane sent one.
                    var content = request.DataKey.IsEmpty ? bytes : ChunkedEncryptor.Encrypt(bytes, request.DataKey.Span, ArtifactContext.For(request.Tenant, request.JobId, path));
                    result.Artifacts.Add(new Artifact { Path = path, Content = ByteString.CopyFrom(content), Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)), Encrypted = !request.DataKey.IsEmpty });
                    break;
                default:
                    break;
            }
        }

        await responseStream.WriteAsync(new ExecEvent { Result = result });
    }

    public override Task<SandboxReply> CreateSandbox(CreateSandboxRequest request, ServerCallContext context)
    {
        state.LastCreateSandbox = request;
        Authorize(context);
        var id = "sb-" + Guid.NewGuid().ToString("N")[..8];
        state.Sandboxes[id] = new FakeSandbox();
        return Task.FromResult(new SandboxReply { SandboxId = id, Language = request.Language == "py" ? "python" : request.Language, Limits = request.Limits });
    }

    public override async Task Exec(ExecRequest request, IServerStreamWriter<ExecEvent> responseStream, ServerCallContext context)
    {
        state.LastExec = request;
        Authorize(context);
        var sandbox = Sandbox(request.SandboxId);
        var result = new ExecResult { Status = ExecStatus.Succeeded, HasExitCode = true };
        var (verb, rest) = Split(request.Text);
        if (request.Mode == ExecMode.Code)
        {
            if (request.Text.StartsWith("print(", StringComparison.Ordinal))
            {
                var name = request.Text[6..^1];
                await Write(responseStream, OutputStream.Stdout, (sandbox.Variables.TryGetValue(name, out var v) ? v : "undefined") + "\n");
            }
            else if (request.Text.Split('=', 2) is [var name, var value])
            {
                sandbox.Variables[name.Trim()] = value.Trim();
            }
        }
        else if (verb == "echo")
        {
            await Write(responseStream, OutputStream.Stdout, rest + "\n");
        }
        else if (verb == "sleep")
        {
            try
            {
                await Task.Delay(int.Parse(rest, System.Globalization.CultureInfo.InvariantCulture), context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        else if (verb == "timeout")
        {
            result.Status = ExecStatus.Timeout;
            result.HasExitCode = false;
            result.Signal = "SIGKILL";
        }

        await responseStream.WriteAsync(new ExecEvent { Result = result });
    }

    public override Task<WriteFilesReply> WriteFiles(WriteFilesRequest request, ServerCallContext context)
    {
        Authorize(context);
        var sandbox = Sandbox(request.SandboxId);
        foreach (var file in request.Files)
        {
            sandbox.Files[file.Path] = file.Content.ToByteArray();
        }

        return Task.FromResult(new WriteFilesReply());
    }

    public override Task<ReadFileReply> ReadFile(ReadFileRequest request, ServerCallContext context)
    {
        Authorize(context);
        return Sandbox(request.SandboxId).Files.TryGetValue(request.Path, out var content)
            ? Task.FromResult(new ReadFileReply { Content = ByteString.CopyFrom(content) })
            : throw new RpcException(new Status(StatusCode.NotFound, $"no file '{request.Path}'"));
    }

    public override Task<ListFilesReply> ListFiles(ListFilesRequest request, ServerCallContext context)
    {
        Authorize(context);
        var reply = new ListFilesReply();
        reply.Entries.AddRange(Sandbox(request.SandboxId).Files.Select(f => new FileEntry { Path = f.Key, Size = f.Value.Length, ModifiedAtUnixMs = 1_700_000_000_000 }));
        return Task.FromResult(reply);
    }

    public override Task<DeleteFileReply> DeleteFile(DeleteFileRequest request, ServerCallContext context)
    {
        Authorize(context);
        return Sandbox(request.SandboxId).Files.TryRemove(request.Path, out _)
            ? Task.FromResult(new DeleteFileReply())
            : throw new RpcException(new Status(StatusCode.NotFound, $"no file '{request.Path}'"));
    }

    public override Task<DestroySandboxReply> DestroySandbox(DestroySandboxRequest request, ServerCallContext context)
    {
        Authorize(context);
        state.Destroyed.Add(request.SandboxId);
        return state.Sandboxes.TryRemove(request.SandboxId, out _)
            ? Task.FromResult(new DestroySandboxReply())
            : throw new RpcException(new Status(StatusCode.NotFound, "no such sandbox"));
    }

    private FakeSandbox Sandbox(string id) =>
        state.Sandboxes.TryGetValue(id, out var sandbox) ? sandbox : throw new RpcException(new Status(StatusCode.NotFound, "no such sandbox"));

    private void Authorize(ServerCallContext context)
    {
        if (context.RequestHeaders.GetValue("authorization") != "Bearer " + state.Token)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "bad token"));
        }
    }

    private static Task Write(IServerStreamWriter<ExecEvent> stream, OutputStream which, string text) =>
        stream.WriteAsync(new ExecEvent { Output = new OutputChunk { Stream = which, Data = ByteString.CopyFromUtf8(text) } });

    private static (string Verb, string Args) Split(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? (line.Trim(), "") : (line[..space], line[(space + 1)..].TrimEnd('\r'));
    }
}

internal sealed class FakeSandbox
{
    public ConcurrentDictionary<string, byte[]> Files { get; } = new();

    public ConcurrentDictionary<string, string> Variables { get; } = new();
}

internal sealed class FakeRunnerState
{
    public string Token { get; init; } = "runner-token";

    public int Capacity { get; set; } = 8;

    public ConcurrentDictionary<string, FakeSandbox> Sandboxes { get; } = new();

    public ConcurrentBag<string> Destroyed { get; } = [];

    public RunJobRequest? LastRunJob { get; set; }

    public CreateSandboxRequest? LastCreateSandbox { get; set; }

    public ExecRequest? LastExec { get; set; }
}
