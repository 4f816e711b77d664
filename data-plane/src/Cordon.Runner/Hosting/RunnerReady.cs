namespace Cordon.Runner.Hosting;

/// <summary>The runner's <c>/readyz</c> answer when every check passed.</summary>
internal sealed record RunnerReady(bool Ready, int Active, int Capacity);
