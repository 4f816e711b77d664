using System.Buffers;
using System.Text;
using System.Text.Json;
using Cordon.Init.Processes;

namespace Cordon.Init.Repl;

/// <summary>
/// One persistent interpreter: requests go out on its fd 3 as <c>{"code","stdin"}</c> lines, completions come
/// back on its fd 4 as <c>{"ok"}</c> lines, written after the driver has flushed stdout and stderr.
/// </summary>
internal sealed class ReplDriver(SpawnedProcess process) : IDisposable
{
    private readonly ArrayBufferWriter<byte> _pending = new();

    public SpawnedProcess Process { get; } = process;

    public int Pid => Process.Pid;

    public async Task SendAsync(string code, byte[]? stdin, CancellationToken cancellationToken)
    {
        var line = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(line))
        {
            writer.WriteStartObject();
            writer.WriteString("code", code);
            writer.WriteString("stdin", stdin is null ? "" : Encoding.UTF8.GetString(stdin));
            writer.WriteEndObject();
        }

        line.Write("\n"u8);
        await Process.Requests!.WriteAsync(line.WrittenMemory, cancellationToken);
    }

    /// <summary>Waits for the next completion line; true when the code ran without an uncaught exception.</summary>
    public async Task<bool> ReadCompletionAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var newline = _pending.WrittenSpan.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = _pending.WrittenSpan[..newline].ToArray();
                var rest = _pending.WrittenSpan[(newline + 1)..].ToArray();
                _pending.Clear();
                _pending.Write(rest);
                using var document = JsonDocument.Parse(line);
                return document.RootElement.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True;
            }

            var read = await Process.Completions!.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                throw new EndOfStreamException("The REPL driver closed its completion pipe.");
            }

            _pending.Write(buffer.AsSpan(0, read));
        }
    }

    /// <summary>Throws away output written between requests (background threads), so it is not misattributed.</summary>
    public async Task DiscardPendingOutputAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        foreach (var pipe in new[] { Process.Stdout, Process.Stderr })
        {
            while (pipe.Available > 0 && await pipe.ReadAsync(buffer, cancellationToken) > 0)
            {
            }
        }
    }

    public void Dispose() => Process.Dispose();
}
