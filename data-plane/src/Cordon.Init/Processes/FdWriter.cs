using Cordon.Init.Native;

namespace Cordon.Init.Processes;

/// <summary>Blocking writes to a raw fd (a child's stdin or a REPL driver's request pipe).</summary>
internal static unsafe class FdWriter
{
    /// <summary>Writes everything; false when the reader went away (EPIPE) or another error stopped it.</summary>
    public static bool WriteAll(int fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* start = data)
        {
            var offset = 0;
            while (offset < data.Length)
            {
                var n = Libc.write(fd, start + offset, data.Length - offset);
                if (n < 0)
                {
                    if (Libc.Errno == Libc.EINTR)
                    {
                        continue;
                    }

                    return false;
                }

                offset += (int)n;
            }
        }

        return true;
    }
}
