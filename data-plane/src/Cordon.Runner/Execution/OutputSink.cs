namespace Cordon.Runner.Execution;

/// <summary>Receives a program's output as it comes; <paramref name="isStderr"/> tells the streams apart.</summary>
internal delegate ValueTask OutputSink(bool isStderr, ReadOnlyMemory<byte> data);
