using System.Diagnostics;
using System.Text;
using Cordon.Contracts.Runner.Agent;
using Cordon.Init.Native;
using Cordon.Init.Server;

namespace Cordon.Init.Processes;

/// <summary>
/// Moves a program's stdout and stderr to the runner as frames the moment they arrive, on one thread with
/// poll(2), while watching the wall clock, the output limit, the runner hanging up and (for REPLs) the driver's
/// completion pipe. The combined output limit cuts the chunk that crosses it, so nothing past it is ever sent.
/// </summary>
internal sealed unsafe class OutputPump(AgentConnection connection, int stdoutFd, int stderrFd, long outputLimit, long timeoutMs)
{
    private const int ChunkBytes = 64 * 1024;
    private readonly byte[] _buffer = new byte[ChunkBytes];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly StringBuilder _completion = new();
    private long _sent;
    private bool _stdoutOpen = stdoutFd >= 0;
    private bool _stderrOpen = stderrFd >= 0;

    public PumpOutcome Outcome { get; } = new();

    public bool OutputClosed => !_stdoutOpen && !_stderrOpen;

    /// <summary>
    /// Pumps until <paramref name="exited"/> completes, a limit trips, or the runner hangs up; a completion line on
    /// <paramref name="completionFd"/> (REPLs) ends the wait too.
    /// </summary>
    public void Run(Task exited, int completionFd = -1)
    {
        var fds = stackalloc Libc.PollFd[4];
        while (!exited.IsCompleted && !Outcome.MustKill && Outcome.Completion is null)
        {
            if (OutputClosed && completionFd < 0)
            {
                // Nothing left to read: wait for the exit itself rather than polling for it.
                exited.Wait(PollTimeout());
                CheckClock();
                continue;
            }

            var count = 0;
            var stdoutSlot = _stdoutOpen ? count++ : -1;
            var stderrSlot = _stderrOpen ? count++ : -1;
            var completionSlot = completionFd >= 0 ? count++ : -1;
            var socketSlot = count++;
            if (stdoutSlot >= 0)
            {
                fds[stdoutSlot] = new Libc.PollFd { Fd = stdoutFd, Events = Libc.POLLIN };
            }

            if (stderrSlot >= 0)
            {
                fds[stderrSlot] = new Libc.PollFd { Fd = stderrFd, Events = Libc.POLLIN };
            }

            if (completionSlot >= 0)
            {
                fds[completionSlot] = new Libc.PollFd { Fd = completionFd, Events = Libc.POLLIN };
            }

            fds[socketSlot] = new Libc.PollFd { Fd = connection.Fd, Events = Libc.POLLIN };
            Libc.poll(fds, (nuint)count, PollTimeout());

            if (stdoutSlot >= 0 && fds[stdoutSlot].Revents != 0)
            {
                Drain(stdoutFd, AgentFrameKind.Stdout);
            }

            if (stderrSlot >= 0 && fds[stderrSlot].Revents != 0)
            {
                Drain(stderrFd, AgentFrameKind.Stderr);
            }

            if (completionSlot >= 0 && fds[completionSlot].Revents != 0)
            {
                ReadCompletion(completionFd);
            }

            if (fds[socketSlot].Revents != 0)
            {
                // The runner sends nothing after its request: readable means it hung up, which cancels.
                Outcome.Cancelled = true;
            }

            CheckClock();
        }
    }

    private void CheckClock()
    {
        if (timeoutMs > 0 && _clock.ElapsedMilliseconds >= timeoutMs)
        {
            Outcome.TimedOut = true;
        }
    }

    /// <summary>Reads whatever is left in the pipes, without waiting for more (a REPL's output before its completion).</summary>
    public void DrainAvailable()
    {
        Drain(stdoutFd, AgentFrameKind.Stdout);
        Drain(stderrFd, AgentFrameKind.Stderr);
    }

    /// <summary>After a kill: reads until both pipes reach EOF or <paramref name="graceMs"/> passes.</summary>
    public void DrainToEnd(int graceMs)
    {
        var deadline = _clock.ElapsedMilliseconds + graceMs;
        var fds = stackalloc Libc.PollFd[2];
        while (!OutputClosed && _clock.ElapsedMilliseconds < deadline)
        {
            var count = 0;
            if (_stdoutOpen)
            {
                fds[count++] = new Libc.PollFd { Fd = stdoutFd, Events = Libc.POLLIN };
            }

            if (_stderrOpen)
            {
                fds[count++] = new Libc.PollFd { Fd = stderrFd, Events = Libc.POLLIN };
            }

            Libc.poll(fds, (nuint)count, 20);
            DrainAvailable();
        }
    }

    private int PollTimeout()
    {
        if (timeoutMs <= 0)
        {
            return 50;
        }

        var remaining = timeoutMs - _clock.ElapsedMilliseconds;
        return (int)Math.Clamp(remaining, 0, 50);
    }

    private void Drain(int fd, AgentFrameKind kind)
    {
        var open = kind == AgentFrameKind.Stdout ? _stdoutOpen : _stderrOpen;
        while (open)
        {
            nint n;
            fixed (byte* buffer = _buffer)
            {
                n = Libc.read(fd, buffer, _buffer.Length);
            }

            if (n > 0)
            {
                Forward(kind, (int)n);
                continue;
            }

            if (n == 0 || (Libc.Errno is not Libc.EAGAIN and not Libc.EINTR))
            {
                open = false;
                if (kind == AgentFrameKind.Stdout)
                {
                    _stdoutOpen = false;
                }
                else
                {
                    _stderrOpen = false;
                }
            }

            if (n < 0 && Libc.Errno == Libc.EINTR)
            {
                continue;
            }

            return;
        }
    }

    private void Forward(AgentFrameKind kind, int length)
    {
        if (Outcome.OutputLimited)
        {
            return; // already cut: keep reading so the program is not blocked on a full pipe while it dies
        }

        var allowed = outputLimit > 0 ? (int)Math.Min(length, outputLimit - _sent) : length;
        if (allowed > 0 && !connection.Send(kind, _buffer.AsSpan(0, allowed)))
        {
            Outcome.Cancelled = true;
        }

        _sent += Math.Max(allowed, 0);
        if (allowed < length)
        {
            Outcome.OutputLimited = true;
            if (kind == AgentFrameKind.Stdout)
            {
                Outcome.StdoutTruncated = true;
            }
            else
            {
                Outcome.StderrTruncated = true;
            }
        }
    }

    private void ReadCompletion(int fd)
    {
        fixed (byte* buffer = _buffer)
        {
            var n = Libc.read(fd, buffer, _buffer.Length);
            if (n <= 0)
            {
                // The driver closed its completion pipe: it died. Report what we have.
                Outcome.Completion ??= "";
                return;
            }

            _completion.Append(Encoding.UTF8.GetString(_buffer, 0, (int)n));
        }

        var text = _completion.ToString();
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        if (newline >= 0)
        {
            Outcome.Completion = text[..newline];
        }
    }
}
