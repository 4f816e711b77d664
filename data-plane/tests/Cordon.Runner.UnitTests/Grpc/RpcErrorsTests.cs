using Cordon.Contracts.Runner.Agent;
using Cordon.Runner.Agent;
using Cordon.Runner.Execution;
using Cordon.Runner.Grpc;
using Cordon.Runner.Oci;
using Cordon.Runner.Runtimes;
using Cordon.Runner.Sandboxes;
using Grpc.Core;

namespace Cordon.Runner.UnitTests.Grpc;

public sealed class RpcErrorsTests
{
    public static TheoryData<string, Exception, StatusCode, string, bool> Cases => new()
    {
        // name, failure, code, detail, logged as unexpected
        { "no such sandbox", new SandboxNotFoundException("sbx-1"), StatusCode.NotFound, "sandbox sbx-1 does not exist", false },
        { "unknown language", new UnknownLanguageException("cobol", ["bash"]), StatusCode.InvalidArgument, new UnknownLanguageException("cobol", ["bash"]).Message, false },
        { "limit out of range", new LimitOutOfRangeException("pids must be between 8 and 1024, got 5000"), StatusCode.InvalidArgument, "pids must be between 8 and 1024, got 5000", false },
        { "bad exec request", new BadExecRequestException("the command is empty"), StatusCode.InvalidArgument, "the command is empty", false },
        { "path outside", Agent(AgentErrorCodes.InvalidPath, "'../x' contains '..'"), StatusCode.InvalidArgument, "'../x' contains '..'", false },
        { "bad agent request", Agent(AgentErrorCodes.BadRequest, "unknown request"), StatusCode.InvalidArgument, "unknown request", false },
        { "name too long", Agent(AgentErrorCodes.NameTooLong, "'aaaa…': a name is longer than 255 bytes"), StatusCode.InvalidArgument, "'aaaa…': a name is longer than 255 bytes", false },
        { "no such file", Agent(AgentErrorCodes.NotFound, "'x' does not exist"), StatusCode.NotFound, "'x' does not exist", false },
        { "file over the read limit", Agent(AgentErrorCodes.TooLarge, "'big' is 4096 bytes"), StatusCode.OutOfRange, "'big' is 4096 bytes", false },
        { "workspace full", Agent(AgentErrorCodes.NoSpace, "the workspace is full"), StatusCode.FailedPrecondition, "the workspace is full", false },
        { "a FIFO", Agent(AgentErrorCodes.NotAFile, "'out.png' is a FIFO, not a regular file"), StatusCode.FailedPrecondition, "'out.png' is a FIFO, not a regular file", false },
        { "other agent I/O", Agent(AgentErrorCodes.IoError, "'x': Input/output error"), StatusCode.Internal, "the sandbox agent failed (io_error): 'x': Input/output error", true },
        { "unknown agent code", Agent("new_code", "what"), StatusCode.Internal, "the sandbox agent failed (new_code): what", true },
        { "runner full", new SandboxCapacityException("the runner holds its maximum of 64 sandboxes"), StatusCode.ResourceExhausted, "the runner holds its maximum of 64 sandboxes", false },
        { "agent gone", new AgentUnavailableException("the sandbox agent connection failed"), StatusCode.Unavailable, "the sandbox agent connection failed", false },
        { "cancelled", new OperationCanceledException(), StatusCode.Cancelled, "the call was cancelled", false },
        { "runtime failed", new OciRuntimeException("runc run sbx-1 failed (1): boom"), StatusCode.Internal, "runc run sbx-1 failed (1): boom", true },
        { "a bug", new InvalidOperationException("state"), StatusCode.Internal, "the runner failed unexpectedly (InvalidOperationException: state)", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Map_Failure_HasItsOwnCodeAndATrueMessage(string name, Exception failure, StatusCode code, string detail, bool unexpected)
    {
        var status = RpcErrors.Map(failure);

        Assert.True(status is { } s && s.StatusCode == code && s.Detail == detail, $"{name}: expected {code} '{detail}', got {status?.StatusCode} '{status?.Detail}'");
        Assert.Equal(unexpected, RpcErrors.IsUnexpected(status!.Value));
    }

    [Fact]
    public void Map_AnyAgentFailureButCapacity_IsNeverResourceExhausted()
    {
        // The control plane reads ResourceExhausted as "this runner is full": only the capacity check may say so.
        var codes = typeof(AgentErrorCodes).GetFields().Select(f => (string)f.GetValue(null)!);

        Assert.All(codes, c => Assert.NotEqual(StatusCode.ResourceExhausted, RpcErrors.Map(Agent(c, "x"))!.Value.StatusCode));
    }

    [Fact]
    public void Map_RpcException_PassesThrough()
    {
        Assert.Null(RpcErrors.Map(new RpcException(new Status(StatusCode.Unauthenticated, "token"))));
    }

    private static AgentRequestException Agent(string code, string message) => new(code, message);
}
