using System.CommandLine.Invocation;
using Cordon.Cli;

var parseResult = CordonCommand.Create().Parse(args);
if (parseResult.Action is ParseErrorAction parseError)
{
    // A group without its verb (`cordon`, `cordon session`) shows the verbs; otherwise the error alone says
    // what is wrong and `--help` is one flag away.
    parseError.ShowHelp = parseResult.CommandResult.Command.Subcommands.Count > 0;
}

var exitCode = await parseResult.InvokeAsync().ConfigureAwait(false);
return parseResult.Errors.Count > 0 ? ExitCodes.Usage : exitCode;
