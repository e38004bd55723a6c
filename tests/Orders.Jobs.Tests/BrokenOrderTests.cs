using Microsoft.Data.Sqlite;
using Orders.Application.Jobs;
using Orders.Domain.ValueObjects;
using Orders.Infrastructure.Sqlite;
using Orders.Jobs.Tests.Support;

namespace Orders.Jobs.Tests;

/// <summary>
/// One bad order never stops a job. Over the real SQLite store, four orders have their stored rows corrupted with SQL
/// (an item snapshot that no longer matches its hash makes a history unreadable; an edited reason breaks the chain);
/// every job still runs to the end, does its work on the good orders, and reports, flags and skips the bad ones.
/// </summary>
public sealed class BrokenOrderTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "orders-broken-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteOrderStore _store;
    private readonly JobsHarness _h;

    public BrokenOrderTests()
    {
        _store = new SqliteOrderStore(new SqliteStoreOptions { Path = Path.Combine(_folder, "orders.db") });
        _h = JobsHarness.Over(_store);
    }

    public void Dispose()
    {
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task EveryJob_GoesOnWithTheOtherOrders_AndReportsFlagsAndSkipsTheBrokenOnes()
    {
        var goodCreated = await _h.CreatedAsync("good-created");
        var goodDelivered = await DeliveredAsync("good-delivered");
        var unreadableCreated = await _h.CreatedAsync("bad-created-unreadable");
        var editedCreated = await _h.CreatedAsync("bad-created-edited");
        var unreadableDelivered = await DeliveredAsync("bad-delivered-unreadable");
        var editedDelivered = await DeliveredAsync("bad-delivered-edited");
        await CorruptAsync(unreadableCreated, 1, "Item sku-1", "Item sku-X");       // the snapshot no longer matches its hash
        await CorruptAsync(unreadableDelivered, 1, "Item sku-1", "Item sku-X");
        await CorruptAsync(editedCreated, 1, "order created", "order created later"); // parses, but the chain breaks
        await CorruptAsync(editedDelivered, 3, "captured", "refused");
        _h.Advance(TimeSpan.FromDays(400)); // past every payment deadline and return window

        var cancel = await _h.AutoCancel().RunOnceAsync();
        Assert.Equal([goodCreated], cancel.Cancelled);
        // A CREATED order is cancelled through the CancelOrder use case, which refuses a broken history either way.
        Assert.Equal(new[] { unreadableCreated, editedCreated }.OrderBy(i => i.Value), cancel.Skipped.Select(f => f.OrderId!).OrderBy(i => i.Value));
        Assert.All(cancel.Skipped, f => Assert.Equal(FindingKinds.HistoryBroken, f.Kind));

        var close = await AutoClose().RunOnceAsync();
        Assert.Equal([goodDelivered], close.Closed);
        Assert.Equal(new[] { editedDelivered, unreadableDelivered }.OrderBy(i => i.Value), close.Skipped.Select(f => f.OrderId!).OrderBy(i => i.Value));

        var reconcile = await _h.Reconcile().RunOnceAsync();
        var bad = new[] { editedCreated, editedDelivered, unreadableCreated, unreadableDelivered }.OrderBy(i => i.Value).ToArray();
        Assert.Equal(bad, reconcile.Reported.Where(f => f.Kind is FindingKinds.HistoryBroken or FindingKinds.OrderUnreadable)
            .Select(f => f.OrderId!).OrderBy(i => i.Value));
        Assert.Contains(reconcile.Reported, f => f.OrderId == editedDelivered && f.Detail.Contains("at sequence 3", StringComparison.Ordinal));
        Assert.Contains(reconcile.Reported, f => f.OrderId == unreadableDelivered && f.Kind == FindingKinds.OrderUnreadable
            && f.Detail.Contains("at sequence 1", StringComparison.Ordinal));

        var stuck = await _h.DetectStuck().RunOnceAsync();
        Assert.DoesNotContain(stuck.Unflagged, bad.Contains);

        var flagged = await _h.StuckLog.ListAsync(100);
        Assert.Equal(bad, flagged.Where(f => f.Reason == StuckReasons.HistoryBroken).Select(f => f.OrderId).OrderBy(i => i.Value));
        Assert.Equal(OrderStatus.Delivered, flagged.Single(f => f.OrderId == unreadableDelivered).Status);

        // The bad orders were left exactly as they were; the good ones moved on.
        Assert.Equal(OrderStatus.Cancelled, (await _h.LoadAsync(goodCreated)).Status);
        Assert.Equal(OrderStatus.Closed, (await _h.LoadAsync(goodDelivered)).Status);
        Assert.Equal(OrderStatus.Created, (await _store.ReadStateAsync(editedCreated))!.View.Status);
        Assert.Equal(OrderStatus.Delivered, (await _store.ReadStateAsync(unreadableDelivered))!.View.Status);
    }

    [Fact]
    public async Task ACorruptedRow_IsOnlyThatOrdersProblem_ACommandOnItIsRefused()
    {
        var id = await _h.CreatedAsync("bad");
        await CorruptAsync(id, 1, "Item sku-1", "Item sku-X");

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => _h.CancelAsync(id));

        Assert.Contains("order.history-broken", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await _store.ReadStateAsync(id))!.Version);
    }

    [Fact]
    public async Task ARowThatIsNotJson_RefusesCommands_WithoutTheDecodersWords()
    {
        var id = await _h.CreatedAsync("not-json");
        // A backslash before the content's escaped quote ends the stored JSON's string early: the row no longer parses.
        await CorruptAsync(id, 1, "Item sku-1", "Item sku-1\\");

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => _h.CancelAsync(id));

        Assert.Contains("order.history-broken", refused.Message, StringComparison.Ordinal);
        Assert.Contains("entry 1 cannot be read", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", refused.Message, StringComparison.Ordinal); // System.Text.Json's text stays in the stuck list
        Assert.Equal(1, (await _store.ReadStateAsync(id))!.Version);
    }

    [Fact]
    public async Task Reconcile_ReverifiesEveryOrderInRotation_ClosedAndCancelledOnesToo()
    {
        var created = await _h.CreatedAsync("rot-created");
        var cancelled = await _h.CreatedAsync("rot-cancelled");
        await _h.CancelAsync(cancelled);
        var editedCancelled = await _h.CreatedAsync("rot-cancelled-edited");
        await _h.CancelAsync(editedCancelled);
        var closed = await DeliveredAsync("rot-closed");
        var editedClosed = await DeliveredAsync("rot-closed-edited");
        _h.Advance(TimeSpan.FromDays(400));
        Assert.Equal(2, (await AutoClose().RunOnceAsync()).Closed.Count);
        await CorruptAsync(editedCancelled, 1, "order created", "order created later");
        await CorruptAsync(editedClosed, 3, "payment ", "refund "); // the reason only: the content still reads
        var all = new[] { created, cancelled, editedCancelled, closed, editedClosed };

        // One non-terminal order reconciled per run, two more histories verified per run: every order within three runs.
        var positions = new JobScanPositions();
        var options = new JobOptions { BatchSize = 1, HistoryVerifyBatchSize = 2 };
        var reports = new List<ReconcileReport>();
        for (var run = 0; run < 3; run++) reports.Add(await _h.Reconcile(options, positions: positions).RunOnceAsync());

        Assert.All(reports, r => Assert.InRange(r.Verified, 2, 3));
        Assert.All(reports, r => Assert.Equal(1, r.Checked)); // only the CREATED order is reconciled; the rest are the rotation's
        Assert.True(reports.Sum(r => r.Verified - 1) >= all.Length - 1, "the rotation reached every other order");
        var flagged = await _h.StuckLog.ListAsync(100);
        Assert.Equal(new[] { editedCancelled, editedClosed }.OrderBy(i => i.Value),
            flagged.Where(f => f.Reason == StuckReasons.HistoryBroken).Select(f => f.OrderId).OrderBy(i => i.Value));
        Assert.Equal(OrderStatus.Closed, flagged.Single(f => f.OrderId == editedClosed).Status);
        Assert.Equal(OrderStatus.Cancelled, flagged.Single(f => f.OrderId == editedCancelled).Status);
        Assert.Contains(reports.SelectMany(r => r.Reported), f => f.OrderId == editedClosed && f.Kind == FindingKinds.HistoryBroken
            && f.Detail.Contains("at sequence 3", StringComparison.Ordinal));
        Assert.Contains($"verified {reports[0].Verified} histories", reports[0].Summary, StringComparison.Ordinal);
    }

    private CloseDeliveredOrders AutoClose() =>
        new(_h.Store, new Orders.Application.UseCases.Commands.CloseOrder(new Orders.Application.UseCases.OrderCommandRunner(_h.Store, new())),
            _h.StuckLog, _h.Time, new JobOptions(), _h.Logs.For<CloseDeliveredOrders>());

    private async Task<OrderId> DeliveredAsync(string key)
    {
        var id = await _h.ShippedAsync(key);
        await _h.DeliverAsync(id);
        return id;
    }

    /// <summary>
    /// What someone with write access to the database file can do: drop the append-only trigger, edit one stored entry
    /// in place, and put the trigger back.
    /// </summary>
    private async Task CorruptAsync(OrderId id, long sequence, string find, string replaceWith)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, "orders.db"), Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DROP TRIGGER order_events_append_only_update";
        await command.ExecuteNonQueryAsync();
        command.CommandText = "UPDATE order_events SET entry = replace(entry, $find, $replace) WHERE order_id = $id AND sequence = $seq AND instr(entry, $find) > 0";
        command.Parameters.AddWithValue("$find", find);
        command.Parameters.AddWithValue("$replace", replaceWith);
        command.Parameters.AddWithValue("$id", id.Value);
        command.Parameters.AddWithValue("$seq", sequence);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
        command.Parameters.Clear();
        command.CommandText = """
            CREATE TRIGGER order_events_append_only_update BEFORE UPDATE ON order_events
            BEGIN SELECT RAISE(ABORT, 'order_events is append-only'); END;
            """;
        await command.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }
}
