using Cordon.Contracts.Runner.Agent;

namespace Cordon.Runner.Agent;

/// <summary>
/// What the runner accepts from an agent, per request: the agent's own limits (64 KiB output chunks, output up
/// to the request's limit, file reads up to <see cref="MaxReadBytes"/>, listings up to <see cref="MaxListEntries"/>),
/// enforced here so that a crippled or impersonated agent can never make the runner allocate or forward more.
/// </summary>
internal static class AgentLimits
{
    /// <summary>The most a file read may return (the agent's own cap: 47 MiB, base64 in one 64 MiB frame).</summary>
    public const long MaxReadBytes = 47L * 1024 * 1024;

    /// <summary>The most entries a listing may have (the agent stops there too).</summary>
    public const int MaxListEntries = 10_000;

    /// <summary>A listing's frame: the entries with paths of up to 4 KiB would be more; 16 MiB is ample for real trees.</summary>
    private const int MaxListReplyBytes = 16 * 1024 * 1024;

    /// <summary>Every other reply (health, exit, ok, error) is small.</summary>
    private const int MaxSmallReplyBytes = 64 * 1024;

    /// <summary>Deadline for file and health calls (a 47 MiB file over a local socket takes well under a second).</summary>
    public static readonly TimeSpan FileDeadline = TimeSpan.FromSeconds(60);

    /// <summary>The read size to ask for: the caller's, bounded, never "unlimited".</summary>
    public static long ReadSize(long requested) => requested > 0 ? Math.Min(requested, MaxReadBytes) : MaxReadBytes;

    public static int MaxReplyBytes(AgentRequest request) => request switch
    {
        // JSON of base64: 4/3 of the content, plus the envelope.
        AgentReadFile read => (int)Math.Min(AgentFrame.MaxPayloadBytes, (ReadSize(read.MaxBytes) + 2) / 3 * 4 + 4096),
        AgentListFiles => MaxListReplyBytes,
        _ => MaxSmallReplyBytes,
    };

    /// <summary>Output bytes the request may produce: its limit for programs, none for anything else.</summary>
    public static long OutputBudget(AgentRequest request) => request switch
    {
        AgentSpawn spawn => spawn.OutputBytes > 0 ? spawn.OutputBytes : 0,
        AgentRepl repl => repl.OutputBytes > 0 ? repl.OutputBytes : 0,
        _ => 0,
    };

    public static int MaxFrameBytes(AgentFrameKind kind, int maxReply, long outputBudget) => kind switch
    {
        AgentFrameKind.Message => maxReply,
        AgentFrameKind.Stdout or AgentFrameKind.Stderr => (int)Math.Min(AgentFrame.MaxOutputPayloadBytes, outputBudget),
        _ => -1,
    };

    /// <summary>Checks what a well-formed reply claims against what was asked.</summary>
    public static TReply CheckReply<TReply>(AgentRequest request, TReply reply) where TReply : AgentReply
    {
        switch (reply)
        {
            case AgentFileList list when list.Entries.Count > MaxListEntries:
                throw Violation($"listed {list.Entries.Count} entries (at most {MaxListEntries})");
            case AgentFileContent content when request is AgentReadFile read && content.Content.Length > ReadSize(read.MaxBytes):
                throw Violation($"returned {content.Content.Length} bytes for a read of at most {ReadSize(read.MaxBytes)}");
        }

        return reply;
    }

    public static AgentUnavailableException Violation(string what) => new($"the sandbox agent broke the protocol: it {what}");
}
