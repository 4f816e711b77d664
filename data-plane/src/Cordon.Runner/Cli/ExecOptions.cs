using System.Globalization;

namespace Cordon.Runner.Cli;

/// <summary>The command line of <c>cordon-runner exec</c>.</summary>
internal sealed record ExecOptions(string Language, string? Code, IReadOnlyList<string> Files, string? Stdin, long TimeoutMs, int MemoryMb, int Pids, IReadOnlyList<string> Artifacts)
{
    public const string Usage = "usage: cordon-runner exec --language LANG (--code CODE | --file PATH [--file PATH…]) [--stdin TEXT] [--timeout-ms N] [--memory-mb N] [--pids N] [--artifact GLOB…]";

    public static ExecOptions Parse(IReadOnlyList<string> args)
    {
        string? language = null, code = null, stdin = null;
        var files = new List<string>();
        var artifacts = new List<string>();
        long timeoutMs = 0;
        var memoryMb = 0;
        var pids = 0;
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--language": language = value; break;
                case "--code": code = value; break;
                case "--file": files.Add(value); break;
                case "--stdin": stdin = value; break;
                case "--timeout-ms": timeoutMs = long.Parse(value, CultureInfo.InvariantCulture); break;
                case "--memory-mb": memoryMb = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--pids": pids = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--artifact": artifacts.Add(value); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }

            i++;
        }

        if (language is null)
        {
            throw new ArgumentException("--language is required");
        }

        if (code is null == (files.Count == 0))
        {
            throw new ArgumentException("give either --code or --file");
        }

        return new ExecOptions(language, code, files, stdin, timeoutMs, memoryMb, pids, artifacts);
    }
}
