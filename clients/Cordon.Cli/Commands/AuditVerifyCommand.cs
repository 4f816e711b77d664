using System.CommandLine;
using Cordon.Audit;
using Cordon.Contracts.Audit;

namespace Cordon.Cli.Commands;

/// <summary>
/// <c>cordon audit verify</c>: recomputes the chain from the segment files (<c>--data-dir</c>, offline: the control
/// plane's data directory or its <c>audit</c> directory) or asks the control plane to (<c>--url</c>, scope
/// <c>admin</c>). Prints the count and last hash, or names the first broken record and exits non-zero.
/// </summary>
internal static class AuditVerifyCommand
{
    public static Command Create()
    {
        var dataDir = new Option<string?>("--data-dir") { Description = "Verify the segment files under this directory (the control plane's data directory, or its audit directory)." };
        var url = new Option<string?>("--url") { Description = "Ask the control plane at this URL to verify (default CORDON_URL; token scope: admin)." };
        var command = new Command("verify", "Recompute the audit log's hash chain and name the first broken record. " +
            $"Exit codes: 0 intact; {ExitCodes.AuditBroken} broken; 66 no audit log in --data-dir; 2 usage.")
        {
            dataDir,
            url,
        };
        command.SetHandler(async (parseResult, cancellationToken) =>
        {
            var directory = parseResult.GetValue(dataDir);
            var address = parseResult.GetValue(url);
            if (directory is not null && address is not null)
            {
                throw new CliException("give --data-dir or --url, not both", ExitCodes.Usage);
            }

            var result = directory is not null
                ? await AuditChainVerifier.VerifyAsync(SegmentDirectory(directory), null, cancellationToken).ConfigureAwait(false)
                : await VerifyRemotelyAsync(address, cancellationToken).ConfigureAwait(false);
            if (result.Valid)
            {
                Console.Out.WriteLine($"audit log intact: {result.Events} record(s), last hash {result.LastHash}");
                return ExitCodes.Success;
            }

            Console.Out.WriteLine($"audit log BROKEN at record {result.BrokenSeq}: {result.Reason}");
            Console.Out.WriteLine($"{result.Events} record(s) before it are intact, the last with hash {result.LastHash}");
            return ExitCodes.AuditBroken;
        });
        return command;
    }

    /// <summary>The directory holding the segments: the one given, or its <c>audit</c> subdirectory.</summary>
    private static string SegmentDirectory(string directory)
    {
        if (AuditSegmentFiles.List(directory).Count > 0)
        {
            return directory;
        }

        var nested = Path.Combine(directory, "audit");
        return AuditSegmentFiles.List(nested).Count > 0
            ? nested
            : throw new CliException($"no audit segments ({AuditSegmentFiles.Prefix}*{AuditSegmentFiles.Extension}) in {directory} or {nested}", ExitCodes.NotFound);
    }

    private static async Task<AuditVerification> VerifyRemotelyAsync(string? address, CancellationToken cancellationToken)
    {
        if (address is not null)
        {
            if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new CliException($"--url is not an http(s) URL: '{address}'", ExitCodes.Usage);
            }

            using var explicitClient = new Client.CordonClient(uri, CliEnvironment.Token);
            return await explicitClient.VerifyAuditAsync(cancellationToken).ConfigureAwait(false);
        }

        using var client = CliEnvironment.CreateClient();
        return await client.VerifyAuditAsync(cancellationToken).ConfigureAwait(false);
    }
}
