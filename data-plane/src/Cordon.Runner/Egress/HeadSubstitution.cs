namespace Cordon.Runner.Egress;

/// <summary>
/// What <see cref="ProxySecrets.Inspect"/> made of one request head: its header fields with the placeholders of the
/// secrets listed for the destination replaced by their values, the names of those secrets, and the names of the
/// secrets whose placeholder the head carried to a destination they are not listed for.
/// </summary>
internal sealed record HeadSubstitution(IReadOnlyList<KeyValuePair<string, string>> Headers, IReadOnlyList<string> Used, IReadOnlyList<string> Leaked)
{
    // The generated ToString would print the substituted headers.
    public override string ToString() => $"HeadSubstitution {{ Used = {string.Join(',', Used)}, Leaked = {string.Join(',', Leaked)} }}";
}
