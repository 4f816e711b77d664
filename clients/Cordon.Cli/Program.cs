using System.CommandLine.Invocation;
using Cordon.Cli;

var parseResult = CordonCommand.Create().Parse(args);
if (parseResult.Action is ParseErrorAction parseError)
{
    // The error alone says what is wrong; `--help` is one flag away.
    parseError.ShowHelp = false;
}

var exitCode = await parseResult.InvokeAsync().ConfigureAwait(false);
return parseResult.Errors.Count > 0 ? ExitCodes.Usage : exitCode;
