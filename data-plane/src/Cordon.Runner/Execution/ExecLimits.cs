namespace Cordon.Runner.Execution;

/// <summary>An execution's own limits: what it asks for, else the sandbox's, never over the registry's ceiling.</summary>
internal static class ExecLimits
{
    public static long Bounded(long requested, long sandboxDefault, long? max, string name)
    {
        var value = requested > 0 ? requested : sandboxDefault;
        return max is { } ceiling && value > ceiling
            ? throw new BadExecRequestException($"{name} must be at most {ceiling}, got {value}")
            : value;
    }

    /// <summary>The sandbox's environment with the request's variables on top.</summary>
    public static Dictionary<string, string> Environment(IReadOnlyDictionary<string, string> sandboxEnv, IDictionary<string, string> requestEnv, IReadOnlyDictionary<string, string>? secretEnv = null)
    {
        var env = new Dictionary<string, string>(sandboxEnv, StringComparer.Ordinal);
        foreach (var (key, value) in requestEnv)
        {
            env[key] = value;
        }

        foreach (var (key, value) in secretEnv ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        return env;
    }
}
