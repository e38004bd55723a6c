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

    [Fact]
    public void AKeptAnswer_IsClaimedByAnotherOpener_OnlyAfterItsSendersLock_OnceAndUntilSettled()
    {
        using var sender = new SimulatorLedger(File);
        using var other = new SimulatorLedger(File);
        var t0 = new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
        sender.KeepAnswer("sim-1", "payment.captured.v1", t0, "{\"orderId\":\"o5\"}", lockedUntil: t0.AddSeconds(30));
        sender.KeepAnswer("sim-1", "payment.captured.v1", t0, "{\"orderId\":\"o5\"}", lockedUntil: t0.AddSeconds(30)); // a copy: kept once

        Assert.Empty(other.ClaimLostAnswers(t0.AddSeconds(10), t0.AddSeconds(40), maxDeliveries: 10));
        var claimed = Assert.Single(other.ClaimLostAnswers(t0.AddSeconds(31), t0.AddSeconds(61), maxDeliveries: 10));
        Assert.Equal(("sim-1", "payment.captured.v1", t0, "{\"orderId\":\"o5\"}"), claimed);
        Assert.Empty(sender.ClaimLostAnswers(t0.AddSeconds(32), t0.AddSeconds(62), maxDeliveries: 10)); // the claimer holds it now
        Assert.Single(sender.ClaimLostAnswers(t0.AddSeconds(62), t0.AddSeconds(92), maxDeliveries: 10)); // the claimer died too

        other.SettleAnswer("sim-1");
        Assert.Empty(sender.ClaimLostAnswers(t0.AddHours(1), t0.AddHours(2), maxDeliveries: 10));
    }

    [Fact]
    public void AnAnswerNobodyCanDeliver_IsClaimedAtMostMaxDeliveriesTimes()
    {
        using var ledger = new SimulatorLedger(File);
        var t = new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
        ledger.KeepAnswer("sim-2", "stock.reserved.v1", t, "{}", lockedUntil: t);

        var claims = 0;
        for (var i = 1; i <= 5; i++)
            claims += ledger.ClaimLostAnswers(t.AddMinutes(i), t.AddMinutes(i).AddSeconds(30), maxDeliveries: 3).Count;

        Assert.Equal(3, claims);
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
