namespace Cordon.Runner.Execution;

/// <summary>Expands a registry command: <c>{entrypoint}</c>, and the list placeholders <c>{args}</c> and <c>{sources}</c>.</summary>
internal static class CommandTemplate
{
    public static List<string> Expand(IReadOnlyList<string> template, string entrypoint, IReadOnlyList<string> args, IReadOnlyList<string> sources)
    {
        var argv = new List<string>(template.Count + args.Count + sources.Count);
        foreach (var part in template)
        {
            switch (part)
            {
                case "{args}": argv.AddRange(args); break;
                case "{sources}": argv.AddRange(sources); break;
                default: argv.Add(part.Replace("{entrypoint}", entrypoint, StringComparison.Ordinal)); break;
            }
        }

        return argv;
    }
}
