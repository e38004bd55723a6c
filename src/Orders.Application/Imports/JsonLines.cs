namespace Orders.Application.Imports;

/// <summary>One line of a JSON-lines stream: its 1-based number and its bytes (without the line end), or too long.</summary>
public readonly record struct JsonLine(long Number, ReadOnlyMemory<byte> Bytes, bool TooLong);

/// <summary>
/// Splits a stream into lines without holding more than one line (at most <c>maxLineBytes</c>) and a read buffer in
/// memory, whatever the stream's length. LF ends a line, a CR before it is dropped; blank lines are skipped (their
/// numbers still count); a last line without LF is a line (if it was cut short, the reader says so). A line longer
/// than the limit is reported as too long and skipped to its end. The bytes of a line are valid only until the next
/// line is read.
/// </summary>
public static class JsonLines
{
    public const int DefaultMaxLineBytes = 1024 * 1024;

    public static async IAsyncEnumerable<JsonLine> ReadAsync(Stream stream, int maxLineBytes = DefaultMaxLineBytes,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLineBytes);
        var buffer = new byte[Math.Min(64 * 1024, maxLineBytes + 1)];
        int start = 0, end = 0;
        long number = 0;
        var skipping = false; // inside a line already reported as too long
        var eof = false;
        while (true)
        {
            var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            if (newline >= 0)
            {
                number++;
                if (skipping) skipping = false;
                else if (Trim(buffer, start, newline) is var line && line.Length > 0) yield return new JsonLine(number, line, false);
                start = newline + 1;
                continue;
            }
            if (eof)
            {
                if (end > start)
                {
                    number++;
                    if (!skipping && Trim(buffer, start, end) is var last && last.Length > 0) yield return new JsonLine(number, last, false);
                }
                yield break;
            }
            if (end - start > maxLineBytes && !skipping)
            {
                skipping = true;
                yield return new JsonLine(number + 1, ReadOnlyMemory<byte>.Empty, true);
            }
            if (skipping) start = end; // nothing of a too-long line is kept
            // Make room: move the partial line to the front, grow (up to the limit) only if a line needs it.
            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            if (end == buffer.Length) Array.Resize(ref buffer, Math.Min(buffer.Length * 2, maxLineBytes + 1 + 64 * 1024));
            var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
            if (read == 0) eof = true;
            end += read;
        }
    }

    private static ReadOnlyMemory<byte> Trim(byte[] buffer, int start, int end)
    {
        if (end > start && buffer[end - 1] == (byte)'\r') end--;
        var span = buffer.AsSpan(start, end - start);
        return span.Trim(" \t"u8).IsEmpty ? ReadOnlyMemory<byte>.Empty : buffer.AsMemory(start, end - start);
    }
}
