using Orders.Application.Access;
using Orders.Application.Imports;
using Orders.Infrastructure.Sqlite;
using Orders.LegacyFiles;

namespace Orders.Application.Tests.Imports;

/// <summary>The import use case over a real SQLite store in a temporary folder, and a generator of legacy lines.</summary>
public sealed class ImportRig : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TempFolder _folder = new();

    public ImportRig(int seed = 7)
    {
        Store = new SqliteOrderStore(new SqliteStoreOptions { Path = _folder.File("orders.db") });
        Import = new ImportLegacyOrders(Store);
        Generator = new LegacyFileGenerator(seed, Now);
    }

    public SqliteOrderStore Store { get; }

    public ImportLegacyOrders Import { get; }

    public LegacyFileGenerator Generator { get; }

    public static RequestContext Operator => new(Caller.Operator("ops-1"), Now, "import-test");

    public Task<ImportLineResult> LineAsync(byte[] bytes, long number = 1) => Import.ImportLineAsync(number, bytes, Operator);

    public async Task<(ImportSummary Summary, List<ImportLineResult> Results)> StreamAsync(Stream stream, RequestContext? request = null,
        int batchSize = ImportLegacyOrders.DefaultBatchSize)
    {
        var results = new List<ImportLineResult>();
        var summary = await Import.ImportStreamAsync(stream, request ?? Operator, r => { results.Add(r); return ValueTask.CompletedTask; }, batchSize: batchSize);
        return (summary.Unwrap(), results);
    }

    /// <summary>How many history entries the store holds in all (the change log read from the start).</summary>
    public async Task<int> StoredEntriesAsync()
    {
        var total = 0;
        var consumer = "count-" + Guid.NewGuid().ToString("N");
        while (true)
        {
            var batch = await Store.ReadAsync(consumer, 1000);
            if (batch.Events.Count == 0) return total;
            total += batch.Events.Count;
            await Store.CommitAsync(consumer, batch.Checkpoint);
        }
    }

    public void Dispose()
    {
        Store.Dispose();
        _folder.Dispose();
    }
}
