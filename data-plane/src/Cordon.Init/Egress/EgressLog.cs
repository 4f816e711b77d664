using Cordon.Init.Native;

namespace Cordon.Init.Egress;

/// <summary>The forwarder's lines on stderr, through <see cref="StderrLine"/> (never Console: see there why).</summary>
internal static class EgressLog
{
    /// <summary>Never throws: a line that cannot be written is not worth ending the forwarder for.</summary>
    public static void Say(string line) => StderrLine.Write($"egress forwarder: {line}");
}
