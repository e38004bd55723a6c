using Orders.Application.Jobs;
using Orders.Domain.ValueObjects;
using Orders.Infrastructure.Jobs;

namespace Orders.Jobs.Tests;

/// <summary>One contract, both adapters.</summary>
public sealed class StuckOrderLogTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "orders-jobs-" + Guid.NewGuid().ToString("N"));
    private readonly List<IDisposable> _disposables = [];

    public static TheoryData<string> Adapters => ["memory", "sqlite"];

    [Theory, MemberData(nameof(Adapters))]
    public async Task FlaggingTheSameEntryTwiceKeepsOneAndReportsNoChange(string adapter)
    {
        var log = Create(adapter);
        var entry = Entry("o1", T0);

        Assert.True(await log.FlagAsync(entry));
        Assert.False(await log.FlagAsync(entry));

        Assert.Equal([entry], await log.ListAsync(10));
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task FlaggingADifferentEntryReplacesTheOrdersEntry(string adapter)
    {
        var log = Create(adapter);
        await log.FlagAsync(Entry("o1", T0));
        var changed = Entry("o1", T0) with { Reason = StuckReasons.SagaFailed, Detail = "checkout failed" };

        Assert.True(await log.FlagAsync(changed));

        Assert.Equal(changed, await log.GetAsync(OrderId.From("o1")));
        Assert.Single(await log.ListAsync(10));
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task UnflaggingRemovesTheEntryOnce(string adapter)
    {
        var log = Create(adapter);
        await log.FlagAsync(Entry("o1", T0));

        Assert.True(await log.UnflagAsync(OrderId.From("o1")));
        Assert.False(await log.UnflagAsync(OrderId.From("o1")));

        Assert.Null(await log.GetAsync(OrderId.From("o1")));
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task ListsLongestFlaggedFirst_ThenByOrderId_UpToMax(string adapter)
    {
        var log = Create(adapter);
        await log.FlagAsync(Entry("o3", T0.AddMinutes(1)));
        await log.FlagAsync(Entry("o2", T0));
        await log.FlagAsync(Entry("o1", T0));

        var listed = await log.ListAsync(2);

        Assert.Equal(["o1", "o2"], listed.Select(e => e.OrderId.Value));
    }

    [Fact]
    public async Task TheSqliteLogKeepsItsEntriesAcrossRestarts()
    {
        var path = Path.Combine(_folder, "stuck.db");
        using (var first = new SqliteStuckOrderLog(path)) await first.FlagAsync(Entry("o1", T0));

        using var second = new SqliteStuckOrderLog(path);

        Assert.Equal(Entry("o1", T0), await second.GetAsync(OrderId.From("o1")));
    }

    public void Dispose()
    {
        foreach (var disposable in _disposables) disposable.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private IStuckOrderLog Create(string adapter)
    {
        if (adapter == "memory") return new InMemoryStuckOrderLog();
        var log = new SqliteStuckOrderLog(Path.Combine(_folder, "stuck.db"));
        _disposables.Add(log);
        return log;
    }

    private static StuckOrder Entry(string id, DateTimeOffset detectedAt) =>
        new(OrderId.From(id), OrderStatus.Paid, T0.AddHours(-50), StuckReasons.ServiceLevelExceeded, "PAID for longer than its service level of 2d", detectedAt);
}
