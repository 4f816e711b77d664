using Cordon.Contracts.Runner.V1;

namespace Cordon.Runner.Execution;

/// <summary>Receives an execution's events (output chunks, phases) as they happen.</summary>
internal delegate ValueTask ExecSink(ExecEvent execEvent);
