using System.Text;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Runner.V1;
using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Runtimes;
using Google.Protobuf;
using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Jobs;

/// <summary>Checks a job request against the limits and the runtimes, and turns it into the runner's message.</summary>
internal sealed class JobRequestValidator(RuntimeCatalog runtimes, IOptions<LimitsOptions> limitsOptions)
{
    private LimitsOptions Max => limitsOptions.Value;

    public PreparedJob Prepare(CreateJobRequest request)
    {
        var errors = new ValidationErrors();
        var runtime = ResolveLanguage(request.Language, errors);

        var files = new List<Cordon.Contracts.Runner.V1.File>();
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

            files.Add(new Cordon.Contracts.Runner.V1.File { Path = runtime.FileName, Content = ByteString.CopyFrom(bytes) });
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

        CheckCommon(request.Args, request.Stdin, request.Env, errors);
        CheckUnsupported(request.Network, request.Dependencies, request.Secrets, errors);
        var limits = ValidateLimits(request.Limits, "limits", errors);
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
        var runJob = new RunJobRequest
        {
            Language = runtime!.Language,
            Limits = limits,
            Entrypoint = entrypoint,
            Stdin = ByteString.CopyFrom(Encoding.UTF8.GetBytes(request.Stdin ?? "")),
            MaxArtifactBytes = Max.MaxArtifactBytes,
        };
        runJob.Files.AddRange(files);
        runJob.Args.AddRange(request.Args ?? []);
        runJob.ArtifactGlobs.AddRange(globs);
        foreach (var (key, value) in request.Env ?? new Dictionary<string, string>())
        {
            runJob.Env[key] = value;
        }

        return new PreparedJob(runtime.Language, runJob, limits.TimeoutMs);
    }

    public RuntimeDescriptor? ResolveLanguage(string? language, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(language))
        {
            errors.Add("language", "The language is required.");
            return null;
        }

        var runtime = runtimes.Resolve(language);
        if (runtime is null)
        {
            errors.Add("language", $"Unknown language '{language}'; known: {string.Join(", ", runtimes.KnownLanguages())} (see GET /v1/runtimes).");
        }

        return runtime;
    }

    public void CheckCommon(IReadOnlyList<string>? args, string? stdin, IReadOnlyDictionary<string, string>? env, ValidationErrors errors)
    {
        if (args is { Count: var argCount } && argCount > Max.MaxArgs)
        {
            errors.Add("args", $"At most {Max.MaxArgs} arguments are allowed.");
        }

        if (args?.Any(a => a.Contains('\0', StringComparison.Ordinal)) == true)
        {
            errors.Add("args", "Arguments cannot contain NUL characters.");
        }

        if (stdin is not null && Encoding.UTF8.GetByteCount(stdin) > Max.MaxStdinBytes)
        {
            errors.Add("stdin", $"stdin is larger than {Max.MaxStdinBytes} bytes.");
        }

        if (env is { Count: var envCount } && envCount > Max.MaxEnv)
        {
            errors.Add("env", $"At most {Max.MaxEnv} environment variables are allowed.");
        }

        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            if (key.Length == 0 || key.Contains('=', StringComparison.Ordinal) || key.Contains('\0', StringComparison.Ordinal) || value.Contains('\0', StringComparison.Ordinal))
            {
                errors.Add("env", $"'{key}' is not a valid environment variable (no '=', no NUL, not empty).");
            }
        }
    }

    /// <summary>Features the runner protocol cannot carry yet are refused rather than silently ignored.</summary>
    public static void CheckUnsupported(NetworkRequest? network, IReadOnlyList<string>? dependencies, IReadOnlyList<string>? secrets, ValidationErrors errors)
    {
        if (network?.Egress is { Count: > 0 })
        {
            errors.Add("network.egress", "Network egress is not available in this deployment yet; sandboxes have no network.");
        }

        if (dependencies is { Count: > 0 })
        {
            errors.Add("dependencies", "Installing dependencies is not available in this deployment yet.");
        }

        foreach (var secret in secrets ?? [])
        {
            errors.Add("secrets", $"Unknown secret '{secret}': this tenant has no secrets (the secret store is not available yet).");
        }
    }

    public Limits ValidateLimits(ResourceLimits? limits, string field, ValidationErrors errors)
    {
        limits ??= new ResourceLimits();
        Check(limits.TimeoutMs, 1, Max.MaxTimeoutMs, "timeoutMs");
        Check(limits.MemoryMb, 16, Max.MaxMemoryMb, "memoryMb");
        Check(limits.Pids, 1, Max.MaxPids, "pids");
        Check(limits.OutputBytes, 1, Max.MaxOutputBytes, "outputBytes");
        Check(limits.DiskMb, 1, Max.MaxDiskMb, "diskMb");
        if (limits.Cpus is { } cpus && (double.IsNaN(cpus) || cpus <= 0 || cpus > Max.MaxCpus))
        {
            errors.Add($"{field}.cpus", $"cpus must be above 0 and at most {Max.MaxCpus}.");
        }

        return new Limits
        {
            TimeoutMs = limits.TimeoutMs ?? 0,
            MemoryMb = limits.MemoryMb ?? 0,
            Cpus = limits.Cpus ?? 0,
            Pids = limits.Pids ?? 0,
            OutputBytes = limits.OutputBytes ?? 0,
            DiskMb = limits.DiskMb ?? 0,
        };

        void Check(long? value, long min, long max, string name)
        {
            if (value is { } v && (v < min || v > max))
            {
                errors.Add($"{field}.{name}", $"{name} must be between {min} and {max}.");
            }
        }
    }

    private void AddFiles(IReadOnlyList<JobFile> requested, List<Cordon.Contracts.Runner.V1.File> files, ValidationErrors errors)
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

            byte[] content;
            switch (file.Encoding ?? "utf8")
            {
                case "utf8":
                    content = Encoding.UTF8.GetBytes(file.Content ?? "");
                    break;
                case "base64":
                    try
                    {
                        content = Convert.FromBase64String(file.Content ?? "");
                    }
                    catch (FormatException)
                    {
                        errors.Add($"files[{i}].content", "The content is not valid base64.");
                        continue;
                    }

                    break;
                default:
                    errors.Add($"files[{i}].encoding", $"Unknown encoding '{file.Encoding}'; use 'utf8' or 'base64'.");
                    continue;
            }

            if (content.Length > Max.MaxFileBytes)
            {
                errors.Add($"files[{i}].content", $"The file is {content.Length} bytes; at most {Max.MaxFileBytes} are allowed.");
            }

            files.Add(new Cordon.Contracts.Runner.V1.File { Path = file.Path, Content = ByteString.CopyFrom(content) });
        }
    }
}
