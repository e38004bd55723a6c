using Orders.Infrastructure.Simulators;

namespace Orders.Infrastructure.Tests.Simulators;

/// <summary>
/// The simulated domains' ledger kept in a SQLite file: what one opener recorded, another (a restarted function app,
/// or a second instance on the same data folder) sees, and a key acts once whoever sends it.
/// </summary>
public sealed class SimulatorLedgerFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orders-ledger-").FullName;

    private string File => Path.Combine(_folder, "simulators.db");

    [Fact]
    public void AnEffectRecordedBeforeARestart_IsRecognisedAfterIt_AndNotRecordedTwice()
    {
        using (var before = new SimulatorLedger(File))
            Assert.True(before.TryRecord("checkout-o1:reserve", new LedgerEntry("o1", "reservation", "res-1", 2)));

        using var after = new SimulatorLedger(File);
        Assert.False(after.TryRecord("checkout-o1:reserve", new LedgerEntry("o1", "reservation", "res-1", 2)));
        Assert.Equal([new LedgerEntry("o1", "reservation", "res-1", 2)], after.For("o1"));
        Assert.Equal(2, after.Requests);
    }

    [Fact]
    public void TwoOpenersOfOneFile_ShareTheEffects_InTheOrderTheyHappened()
    {
        using var a = new SimulatorLedger(File);
        using var b = new SimulatorLedger(File);

        Assert.True(a.TryRecord("k1", new LedgerEntry("o2", "reservation", "res-2", 1)));
        Assert.True(b.TryRecord("k2", new LedgerEntry("o2", "authorization", "auth-2", 995, "EUR")));
        Assert.False(b.TryRecord("k1", new LedgerEntry("o2", "reservation", "res-2", 1)));
        Assert.False(a.TryRecord("k2", new LedgerEntry("o2", "authorization", "auth-2", 995, "EUR")));

        Assert.Equal(["reservation", "authorization"], a.For("o2").Select(e => e.Kind));
        Assert.Equal(a.For("o2"), b.For("o2"));
        Assert.Equal(1, b.Count("o2", "authorization"));
        Assert.Equal(new LedgerEntry("o2", "authorization", "auth-2", 995, "EUR"), a.Find("k2"));
        Assert.Null(a.Find("k3"));
        Assert.Empty(a.For("o3"));
    }

    [Fact]
    public async Task ConcurrentRecordsOfOneKey_FromTwoOpeners_ActOnce()
    {
        using var a = new SimulatorLedger(File);
        using var b = new SimulatorLedger(File);
        var entry = new LedgerEntry("o4", "capture", "pay-4", 995, "EUR");

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).TryRecord("k-capture", entry))));

        Assert.Equal(1, results.Count(r => r));
        Assert.Equal(1, a.Count("o4", "capture"));
        Assert.Equal(20, b.Requests);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
