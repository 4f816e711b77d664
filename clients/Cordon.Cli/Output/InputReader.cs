using System.Text;

namespace Cordon.Cli;

/// <summary>Reads the text a command sends as a program's stdin (<c>--stdin</c>, <c>--stdin-file</c>, <c>-</c>).</summary>
internal static class InputReader
{
    public const string StandardInput = "-";

    public static async Task<string?> ReadStdinAsync(string? text, string? file, CancellationToken cancellationToken)
    {
        if (text is not null)
        {
            return text;
        }

        if (file is null)
        {
            return null;
        }

        return file == StandardInput
            ? await ReadProcessStdinAsync(cancellationToken).ConfigureAwait(false)
            : await File.ReadAllTextAsync(file, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
    }

    public static async Task<string> ReadProcessStdinAsync(CancellationToken cancellationToken)
    {
        // Byte-exact: no newline translation, no BOM sniffing beyond UTF-8.
        using var reader = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }
}
