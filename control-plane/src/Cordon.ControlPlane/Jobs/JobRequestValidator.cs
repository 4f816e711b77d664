using System.Text;
using Cordon.Contracts.Jobs;
using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Requests;
using Cordon.ControlPlane.Runtimes;

namespace Cordon.ControlPlane.Jobs;

/// <summary>Checks a job request against the limits and the runtimes; <see cref="RunJobRequestBuilder"/> makes the runner's message.</summary>
internal sealed class JobRequestValidator(RuntimeCatalog runtimes, RequestLimits limits)
{
    private LimitsOptions Max => limits.Max;

    public ValidatedJob Validate(CreateJobRequest request)
    {
        var errors = new ValidationErrors();
        var runtime = RequestedLanguage.Resolve(runtimes, request.Language, errors);

        var files = new List<DecodedFile>();
        var hasCode = request.Code is not null;
        var hasFiles = request.Files is { Count: > 0 };
        if (hasCode == hasFiles)
        {
            errors.Add("code", "Give either 'code' or 'files' (at least one file), not both and not neither.");
        }

        if (hasCode && runtime is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(request.Code!);
            if (bytes.Length > Max.MaxFileBytes)
            {
                errors.Add("code", $"The code is {bytes.Length} bytes; at most {Max.MaxFileBytes} are allowed.");
            }

            files.Add(new DecodedFile(runtime.FileName, bytes));
        }

        if (hasFiles)
        {
            AddFiles(request.Files!, files, errors);
        }

        var entrypoint = request.Entrypoint ?? runtime?.FileName ?? "";
        if (request.Entrypoint is not null && WorkspacePaths.Problem(request.Entrypoint) is { } entrypointProblem)
        {
            errors.Add("entrypoint", entrypointProblem);
        }

        limits.CheckProcessInput(request.Args, request.Stdin, request.Env, errors);
        var features = RequestedFeatures.Parse(runtime?.Language, request.Network, request.Dependencies, request.Secrets, errors);
        var checkedLimits = limits.CheckLimits(request.Limits, "limits", errors);
        var globs = request.Artifacts ?? [];
        if (globs.Count > Max.MaxArtifactGlobs)
        {
            errors.Add("artifacts", $"At most {Max.MaxArtifactGlobs} artifact globs are allowed.");
        }

        for (var i = 0; i < globs.Count; i++)
        {
            if (WorkspacePaths.GlobProblem(globs[i]) is { } globProblem)
            {
                errors.Add($"artifacts[{i}]", globProblem);
            }
        }

        errors.ThrowIfAny();
        return new ValidatedJob(request, runtime!.Language, files, entrypoint, checkedLimits, features);
    }

    private void AddFiles(IReadOnlyList<JobFile> requested, List<DecodedFile> files, ValidationErrors errors)
    {
        if (requested.Count > Max.MaxFiles)
        {
            errors.Add("files", $"At most {Max.MaxFiles} files are allowed.");
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < requested.Count; i++)
        {
            var file = requested[i];
            if (WorkspacePaths.Problem(file?.Path) is { } pathProblem)
            {
                errors.Add($"files[{i}].path", pathProblem);
                continue;
            }

            if (!seen.Add(file!.Path))
            {
                errors.Add($"files[{i}].path", $"'{file.Path}' is given twice.");
            }

            var decoded = ContentEncodings.Decode(file.Content, file.Encoding);
            if (decoded.EncodingProblem is { } encodingProblem)
            {
                errors.Add($"files[{i}].encoding", encodingProblem);
                continue;
            }

            if (decoded.ContentProblem is { } contentProblem)
            {
                errors.Add($"files[{i}].content", contentProblem);
                continue;
            }

            var content = decoded.Bytes!;
            if (content.Length > Max.MaxFileBytes)
            {
                errors.Add($"files[{i}].content", $"The file is {content.Length} bytes; at most {Max.MaxFileBytes} are allowed.");
            }

            files.Add(new DecodedFile(file.Path, content));
        }
    }
}
