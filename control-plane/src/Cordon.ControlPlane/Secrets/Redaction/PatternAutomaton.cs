namespace Cordon.ControlPlane.Secrets.Redaction;

/// <summary>
/// Aho-Corasick over byte patterns: one pass finds every pattern at every position, however many secrets and forms
/// there are, so redacting 10 MiB of output costs one table step per byte. Children are stored sparsely (most states
/// of long patterns have one child), with a dense table at the root, so a 64 KiB secret's forms stay a few MiB.
/// Each state knows the longest pattern that ends there (a suffix of it), which is all redaction needs: a shorter
/// match ending at the same byte lies inside the longer one.
/// </summary>
internal sealed class PatternAutomaton
{
    private readonly int[] _root = new int[256];
    private readonly int[] _fail;
    private readonly int[] _depth;
    private readonly int[] _childStart;
    private readonly int[] _childCount;
    private readonly byte[] _childBytes;
    private readonly int[] _childTargets;
    private readonly int[] _matchLength;
    private readonly int[] _matchOwner;
    private readonly int[] _prefixOwner;

    /// <param name="patterns">Non-empty byte strings, each with the index of the secret it belongs to.</param>
    public PatternAutomaton(IReadOnlyList<(byte[] Bytes, int Owner)> patterns)
    {
        // Build the trie with a map, then freeze it breadth-first into flat arrays.
        var children = new List<Dictionary<byte, int>> { new() };
        var terminal = new List<int> { -1 };
        var prefixOwner = new List<int> { -1 };
        var depth = new List<int> { 0 };
        foreach (var (bytes, owner) in patterns)
        {
            var state = 0;
            foreach (var b in bytes)
            {
                if (!children[state].TryGetValue(b, out var next))
                {
                    next = children.Count;
                    children[state][b] = next;
                    children.Add(new Dictionary<byte, int>());
                    terminal.Add(-1);
                    prefixOwner.Add(owner);
                    depth.Add(depth[state] + 1);
                }

                state = next;
            }

            terminal[state] = terminal[state] < 0 ? owner : terminal[state];
            MaxLength = Math.Max(MaxLength, bytes.Length);
        }

        var count = children.Count;
        _fail = new int[count];
        _depth = [.. depth];
        _childStart = new int[count];
        _childCount = new int[count];
        _childBytes = new byte[count];
        _childTargets = new int[count];
        _matchLength = new int[count];
        _matchOwner = new int[count];
        _prefixOwner = [.. prefixOwner];
        var slot = 0;
        for (var s = 0; s < count; s++)
        {
            _childStart[s] = slot;
            _childCount[s] = children[s].Count;
            foreach (var (b, target) in children[s].OrderBy(c => c.Key))
            {
                _childBytes[slot] = b;
                _childTargets[slot] = target;
                slot++;
            }
        }

        foreach (var (b, target) in children[0])
        {
            _root[b] = target;
        }

        // Breadth-first: a state's failure link and longest match come from shallower states, already done.
        var queue = new Queue<int>();
        foreach (var (_, target) in children[0])
        {
            _fail[target] = 0;
            queue.Enqueue(target);
        }

        _matchOwner[0] = -1;
        while (queue.Count > 0)
        {
            var s = queue.Dequeue();
            var f = _fail[s];
            if (terminal[s] >= 0)
            {
                _matchLength[s] = _depth[s];
                _matchOwner[s] = terminal[s];
            }
            else
            {
                _matchLength[s] = _matchLength[f];
                _matchOwner[s] = _matchOwner[f];
            }

            for (var i = _childStart[s]; i < _childStart[s] + _childCount[s]; i++)
            {
                var target = _childTargets[i];
                _fail[target] = s == 0 ? 0 : Step(_fail[s], _childBytes[i]);
                queue.Enqueue(target);
            }
        }
    }

    /// <summary>The longest pattern, in bytes.</summary>
    public int MaxLength { get; }

    public int Step(int state, byte b)
    {
        while (state != 0)
        {
            var start = _childStart[state];
            var end = start + _childCount[state];
            for (var i = start; i < end; i++)
            {
                if (_childBytes[i] == b)
                {
                    return _childTargets[i];
                }
            }

            state = _fail[state];
        }

        return _root[b];
    }

    /// <summary>How many of the last bytes read could still begin a pattern (0 at the root).</summary>
    public int Depth(int state) => _depth[state];

    /// <summary>The length of the longest pattern ending at this state, 0 when none does.</summary>
    public int MatchLength(int state) => _matchLength[state];

    /// <summary>The secret of <see cref="MatchLength"/>'s pattern.</summary>
    public int MatchOwner(int state) => _matchOwner[state];

    /// <summary>A secret one of whose patterns begins with the bytes this state stands for.</summary>
    public int PrefixOwner(int state) => _prefixOwner[state];
}
