using Cordon.Contracts.Runner.V1;
using Google.Protobuf;
using Grpc.Core;

namespace Cordon.Runner.Grpc;

/// <summary>Serializes writes to a response stream (gRPC allows one pending write at a time).</summary>
internal sealed class EventWriter(IServerStreamWriter<ExecEvent> stream)
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    public ValueTask OutputAsync(bool isStderr, ReadOnlyMemory<byte> data) =>
        new(WriteAsync(new ExecEvent
        {
            Output = new OutputChunk { Stream = isStderr ? OutputStream.Stderr : OutputStream.Stdout, Data = ByteString.CopyFrom(data.Span) },
        }));

    public ValueTask PhaseAsync(Phase phase) => new(WriteAsync(new ExecEvent { Phase = phase }));

    public Task ResultAsync(ExecResult result) => WriteAsync(new ExecEvent { Result = result });

    private async Task WriteAsync(ExecEvent message)
    {
        await _lock.WaitAsync();
        try
        {
            await stream.WriteAsync(message);
        }
        finally
        {
            _lock.Release();
        }
    }
}
