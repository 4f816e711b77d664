using System.Text;
using Cordon.Init.Processes;

namespace Cordon.Init.Native;

/// <summary>
/// The agent's lines on stderr (the runner's drained <c>init.log</c>), written straight to fd 2. Console's first
/// write opens fds of its own (a dup of 1 and 2) and reads terminfo: under EMFILE — when a job has exhausted the
/// sandbox, the very moment a line is worth writing — it throws, and a throw there could end PID 1.
/// </summary>
internal static class StderrLine
{
    /// <summary>Writes <c>cordon-init: {line}</c>; never throws (a line that cannot be written is dropped).</summary>
    public static void Write(string line) => FdWriter.WriteAll(2, Encoding.UTF8.GetBytes($"cordon-init: {line}\n"));
}
