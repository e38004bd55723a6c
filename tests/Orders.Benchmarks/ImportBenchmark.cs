using System.Diagnostics;
using System.Globalization;
using Orders.Application.Access;
using Orders.Application.Imports;
using Orders.Infrastructure.Sqlite;
using Orders.LegacyFiles;

/// <summary>
/// The legacy import into the embedded SQLite store: throughput over a generated file of realistic orders (a few
/// broken, as real exports are), then the same import over a file <c>times</c> as large, to show that memory is
/// bounded by the line being imported, not by the file: the peak managed heap and working set are sampled while
/// each file streams.
/// </summary>
internal static class ImportBenchmark
{
    public static async Task RunAsync(int orders, int times)
    {
        var now = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
        Console.WriteLine($"legacy import (one order per line, each replayed through the aggregate and saved in its own transaction):");
        var small = await ImportFileAsync(orders, now, "import");
        Console.WriteLine(small);
        var large = await ImportFileAsync(orders * times, now, "import x" + times);
        Console.WriteLine(large);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"memory: file grew x{(double)large.FileBytes / small.FileBytes:F1}, peak managed heap x{(double)large.PeakHeap / small.PeakHeap:F2}, peak working set x{(double)large.PeakWorkingSet / small.PeakWorkingSet:F2}"));
    }

    private sealed record Figures(string Name, long Lines, long FileBytes, TimeSpan Elapsed, ImportSummary Summary, long PeakHeap, long PeakWorkingSet)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Name,-12} {Lines,8} lines, {FileBytes / 1024.0 / 1024.0,7:F1} MiB in {Elapsed.TotalSeconds,6:F1} s = {Lines / Elapsed.TotalSeconds,6:F0} orders/s; " +
            $"peak heap {PeakHeap / 1024.0 / 1024.0:F0} MiB, peak working set {PeakWorkingSet / 1024.0 / 1024.0:F0} MiB\n" +
            $"             {Summary}");
    }

    private static async Task<Figures> ImportFileAsync(int lines, DateTimeOffset now, string name)
    {
        var folder = Path.Combine(Path.GetTempPath(), "orders-import-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var file = Path.Combine(folder, "legacy.jsonl");
            await using (var output = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                LegacyFileGenerator.Write(output, new LegacyFileGenerator(42, now).Lines(lines, brokenShare: 0.02));
            var bytes = new FileInfo(file).Length;

            using var store = new SqliteOrderStore(new SqliteStoreOptions { Path = Path.Combine(folder, "orders.db") });
            var import = new ImportLegacyOrders(store);
            var request = new RequestContext(Caller.System("import-bench"), now, "bench");
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            using var process = Process.GetCurrentProcess();
            long peakHeap = 0, peakWorkingSet = 0, seen = 0;
            void Sample()
            {
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                process.Refresh();
                peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64);
            }
            var watch = Stopwatch.StartNew();
            await using var input = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            var summary = (await import.ImportStreamAsync(input, request, _ =>
            {
                if (++seen % 2000 == 0) Sample();
                return ValueTask.CompletedTask;
            })).Unwrap();
            watch.Stop();
            Sample();
            return new Figures(name, summary.Lines, bytes, watch.Elapsed, summary, peakHeap, peakWorkingSet);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
