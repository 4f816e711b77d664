using System.CommandLine;

namespace Cordon.Cli.Commands;

/// <summary><c>cordon audit</c>: check the hash-chained audit log and export its records.</summary>
internal static class AuditCommand
{
    public static Command Create() => new("audit", "Verify the audit log's hash chain, or export its records as JSON lines.")
    {
        AuditVerifyCommand.Create(),
        AuditExportCommand.Create(),
    };
}
