using Cordon.Contracts.Jobs;
using RunnerV1 = Cordon.Contracts.Runner.V1;

namespace Cordon.ControlPlane.Jobs;

/// <summary>A job request that passed validation: its canonical language, decoded files and checked limits.</summary>
internal sealed record ValidatedJob(
    CreateJobRequest Request,
    string Language,
    IReadOnlyList<DecodedFile> Files,
    string Entrypoint,
    RunnerV1.Limits Limits);
