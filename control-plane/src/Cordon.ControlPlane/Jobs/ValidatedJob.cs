using Cordon.Contracts.Jobs;
using Cordon.ControlPlane.Requests;
using RunnerV1 = Cordon.Contracts.Runner.V1;

namespace Cordon.ControlPlane.Jobs;

/// <summary>
/// A job request that passed validation: its canonical language, decoded files, checked limits (the effective ones once
/// the policy decided) and parsed egress, dependencies and secrets.
/// </summary>
internal sealed record ValidatedJob(
    CreateJobRequest Request,
    string Language,
    IReadOnlyList<DecodedFile> Files,
    string Entrypoint,
    RunnerV1.Limits Limits,
    RequestedFeatures Features);
