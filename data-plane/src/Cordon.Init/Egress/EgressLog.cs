using System.Text;
using Cordon.Init.Processes;

namespace Cordon.Init.Egress;

/// <summary>
/// The forwarder's lines on stderr, written straight to fd 2. Console's first write opens its own fds (a dup of 1
/// and 2) and reads terminfo: under EMFILE, the very condition worth a line, it throws and says nothing.
/// </summary>
internal static class EgressLog
{
    /// <summary>Never throws: a line that cannot be written is not worth ending the forwarder for.</summary>
    public static void Say(string line) => FdWriter.WriteAll(2, Encoding.UTF8.GetBytes($"cordon-init: egress forwarder: {line}\n"));
}
