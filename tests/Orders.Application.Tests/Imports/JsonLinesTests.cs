using System.Text;
using Orders.Application.Imports;

namespace Orders.Application.Tests.Imports;

public sealed class JsonLinesTests
{
    private static async Task<List<(long Number, string Text, bool TooLong)>> ReadAsync(byte[] bytes, int maxLine = 1024, int chunk = int.MaxValue)
    {
        var result = new List<(long, string, bool)>();
        await foreach (var line in JsonLines.ReadAsync(new TrickleStream(bytes, chunk), maxLine))
            result.Add((line.Number, Encoding.UTF8.GetString(line.Bytes.Span), line.TooLong));
        return result;
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)]
    [InlineData(7)]
    public async Task LinesEndAtLf_CrIsDropped_BlankLinesAreSkippedButCounted_AndALastLineWithoutLfCounts(int chunk)
    {
        var lines = await ReadAsync("{\"a\":1}\r\n\n  \n{\"b\":2}\n{\"c\":3"u8.ToArray(), chunk: chunk);

        Assert.Equal([(1L, "{\"a\":1}", false), (4L, "{\"b\":2}", false), (5L, "{\"c\":3", false)], lines);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(5)]
    public async Task ALineLongerThanTheLimit_IsReportedOnceAndSkipped_AndTheNextLinesAreRead(int chunk)
    {
        var bytes = Encoding.UTF8.GetBytes("{\"a\":1}\n" + new string('x', 5000) + "\n{\"b\":2}\n");

        var lines = await ReadAsync(bytes, maxLine: 100, chunk: chunk);

        Assert.Equal([(1L, "{\"a\":1}", false), (2L, "", true), (3L, "{\"b\":2}", false)], lines);
    }

    [Fact]
    public async Task ALineExactlyAtTheLimit_IsRead()
    {
        var line = new string('y', 100);

        var lines = await ReadAsync(Encoding.UTF8.GetBytes(line + "\n"), maxLine: 100, chunk: 3);

        Assert.Equal([(1L, line, false)], lines);
    }

    /// <summary>A stream that hands out at most <c>chunk</c> bytes per read, as a network stream may.</summary>
    private sealed class TrickleStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
