namespace Cordon.ControlPlane.Jobs;

/// <summary>
/// How much job output this process holds in memory, summed over the running jobs' <see cref="OutputCollector"/>s,
/// and the most it ever held: output is stored as it arrives, so this stays near one coalescing buffer per running
/// job however much the jobs print.
/// </summary>
internal sealed class OutputBuffers
{
    private long _chars;
    private long _peakChars;

    /// <summary>Characters of output held now.</summary>
    public long Chars => Interlocked.Read(ref _chars);

    /// <summary>The most characters of output held at once since start.</summary>
    public long PeakChars => Interlocked.Read(ref _peakChars);

    public void Add(long chars)
    {
        var now = Interlocked.Add(ref _chars, chars);
        var peak = Interlocked.Read(ref _peakChars);
        while (now > peak)
        {
            var seen = Interlocked.CompareExchange(ref _peakChars, now, peak);
            if (seen == peak)
            {
                return;
            }

            peak = seen;
        }
    }
}
