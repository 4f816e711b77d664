using System.CommandLine;
using System.Text;
using Cordon.Cli.Mcp;

namespace Cordon.Cli.Commands;

/// <summary><c>cordon mcp</c>: the MCP stdio transport, bridged to a running control plane's <c>/mcp</c>.</summary>
internal static class McpCommand
{
    public static Command Create()
    {
        var command = new Command("mcp",
            "Serve MCP over stdio for desktop agents, bridged to ${CORDON_URL}/mcp with CORDON_TOKEN. " +
            "Reads newline-delimited JSON-RPC on stdin, writes messages to stdout, logs to stderr.");
        command.SetHandler(async (_, cancellationToken) =>
        {
            var url = CliEnvironment.Url;
            var token = CliEnvironment.Token;
            var endpoint = new Uri(Client.CordonClient.WithTrailingSlash(url), "mcp");
            if (token is null)
            {
                await Console.Error.WriteLineAsync("cordon mcp: CORDON_TOKEN is not set; requests go without a token (works only with the auth bypass).").ConfigureAwait(false);
            }

            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            await using var stdout = Console.OpenStandardOutput();
            using var stdin = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
            var bridge = new McpBridge(http, endpoint, token, stdout, Console.Error);
            return await bridge.RunAsync(stdin, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
