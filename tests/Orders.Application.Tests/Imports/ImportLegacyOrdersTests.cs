using System.Text;
using Orders.Application.Access;
using Orders.Application.Imports;
using Orders.Contracts.Imports;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;
using Orders.LegacyFiles;
using Xunit.Abstractions;

namespace Orders.Application.Tests.Imports;

public sealed class ImportLegacyOrdersTests(ITestOutputHelper output) : IDisposable
{
    private readonly ImportRig _rig = new();

    public static TheoryData<string> Shapes() => [.. LegacyFileGenerator.AllShapes];

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task EveryShapeOfLife_ImportsThroughTheAggregate_WithItsOriginalTimesActorsAndSourceIds(string shape)
    {
        var legacy = _rig.Generator.Order("o-" + shape, shape, ImportRig.Now.AddDays(-400));

        var result = await _rig.LineAsync(LegacyFileGenerator.Serialize(legacy));

        Assert.True(result.Outcome == ImportOutcomes.Imported, $"{result.Reason}: {result.Detail}");
        Assert.Equal(legacy.Status, result.Status);
        var order = (await _rig.Store.LoadAsync(OrderId.From(result.OrderId!)))!;
        Assert.Equal(legacy.Status, order.Status.ToString().ToUpperInvariant());
        Assert.Equal(legacy.History.Count, order.History.Count);
        for (var i = 0; i < legacy.History.Count; i++)
        {
            var (fact, entry) = (legacy.History[i], order.History[i]);
            Assert.Equal(fact.At, entry.At);
            Assert.Equal($"import:django:{fact.SourceEventId}", entry.CausationId);
            Assert.Equal(fact.Actor.Id, entry.Actor.Id);
            Assert.Equal(fact.Actor.Kind, entry.Actor.Kind.ToString().ToUpperInvariant());
            Assert.Equal(fact.Status, entry.To.ToString().ToUpperInvariant());
            Assert.True(ImportOrigin.IsImported(entry), $"entry {entry.Sequence} is not marked imported: {entry.Reason}");
        }
        Assert.Equal(HistoryEntry.Genesis, order.History[0].PreviousHash); // the chain starts at the import
        Assert.True(order.VerifyHistory().IsIntact);
        Assert.Equal(legacy.Totals.Total.Minor, order.Total.Minor);
    }

    [Fact]
    public async Task ALegacyReason_IsKeptInTheEntry_BesideTheDomainsOwn()
    {
        var legacy = _rig.Generator.Order("o-cancel", "CANCELLED-CONFIRMED", ImportRig.Now.AddDays(-10));

        var result = await _rig.LineAsync(LegacyFileGenerator.Serialize(legacy));

        Assert.True(result.Outcome == ImportOutcomes.Imported, $"{result.Reason}: {result.Detail}");
        var last = (await _rig.Store.LoadAsync(OrderId.From(result.OrderId!)))!.History[^1];
        Assert.StartsWith($"imported from django ({legacy.History[^1].SourceEventId}): cancelled: out of stock at the warehouse", last.Reason, StringComparison.Ordinal);
        Assert.Equal(ActorKind.Operator, last.Actor.Kind);
    }

    [Theory]
    [InlineData(ImportLegacyOrders.DefaultBatchSize)]
    [InlineData(7)]
    public async Task AGeneratedFileWithEveryKindOfDefect_GetsExactlyTheExpectedAnswerOnEveryLine(int batchSize)
    {
        var lines = _rig.Generator.Lines(1500, brokenShare: 0.3).ToList();
        using var file = new MemoryStream();
        LegacyFileGenerator.Write(file, lines);
        file.Position = 0;

        var (summary, results) = await _rig.StreamAsync(file, batchSize: batchSize);

        Assert.Equal(lines.Count, results.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            Assert.Equal(i + 1, results[i].Line);
            Assert.True(lines[i].ExpectedOutcome == results[i].Outcome && lines[i].ExpectedReason == results[i].Reason,
                $"line {i + 1} ({lines[i].Defect}): expected {lines[i].ExpectedOutcome} {lines[i].ExpectedReason}, got {results[i].Outcome} {results[i].Reason}: {results[i].Detail}");
        }
        // Every kind of defect occurred, so each refusal path above was really taken.
        Assert.Equal(Enum.GetValues<LegacyDefect>().Length, lines.Select(l => l.Defect).Distinct().Count());
        Assert.Equal(lines.Count(l => l.ExpectedOutcome == ImportOutcomes.Imported), summary.Imported);
        output.WriteLine(summary.ToString());
    }

    [Fact]
    public async Task ARefusedOrder_LeavesNoTrace_AndTheLinesAroundItAreImported()
    {
        var good1 = _rig.Generator.Order("g1", "CLOSED", ImportRig.Now.AddDays(-300));
        var bad = _rig.Generator.Order("bad", "CLOSED-AFTER-PARTIAL", ImportRig.Now.AddDays(-300));
        bad = bad with { Refunds = [.. bad.Refunds.Select(r => r with { Amount = r.Amount with { Minor = bad.Totals.Total.Minor + 1 } })] };
        var good2 = _rig.Generator.Order("g2", "PAID", ImportRig.Now.AddDays(-3));
        using var file = new MemoryStream();
        foreach (var o in new[] { good1, bad, good2 }) { file.Write(LegacyFileGenerator.Serialize(o)); file.WriteByte((byte)'\n'); }
        file.Position = 0;

        var (_, results) = await _rig.StreamAsync(file);

        Assert.Equal([ImportOutcomes.Imported, ImportOutcomes.Refused, ImportOutcomes.Imported], results.Select(r => r.Outcome));
        Assert.Equal("order.refund-exceeds-paid", results[1].Reason);
        Assert.Null(await _rig.Store.LoadAsync(OrderId.From("django-bad")));
        Assert.Null(await _rig.Store.FindIdempotencyRecordAsync(OrderId.From("django-bad"), ImportLegacyOrders.RecordId));
        Assert.Equal(good1.History.Count + good2.History.Count, await _rig.StoredEntriesAsync());
    }

    [Fact]
    public async Task ImportingTheSameFileAgain_AnswersAlreadyImported_AndWritesNothing()
    {
        var lines = _rig.Generator.Lines(60).ToList();
        var bytes = ToFile(lines);
        await _rig.StreamAsync(new MemoryStream(bytes));
        var stored = await _rig.StoredEntriesAsync();

        var (summary, results) = await _rig.StreamAsync(new MemoryStream(bytes));

        Assert.All(results, r => Assert.True(r.Outcome == ImportOutcomes.AlreadyImported, $"line {r.Line}: {r.Outcome} {r.Reason} {r.Detail}"));
        Assert.Equal(60, summary.AlreadyImported);
        Assert.Equal(stored, await _rig.StoredEntriesAsync());
    }

    [Fact]
    public async Task TheSameSourceIdWithDifferentContent_IsRefused_AndTheImportedOrderIsUnchanged()
    {
        var first = _rig.Generator.Order("o-1", "PAID", ImportRig.Now.AddDays(-2));
        await _rig.LineAsync(LegacyFileGenerator.Serialize(first));

        var result = await _rig.LineAsync(LegacyFileGenerator.Serialize(first with { BuyerId = "someone-else" }));

        Assert.Equal((ImportOutcomes.Refused, ImportCodes.SourceIdConflict), (result.Outcome, result.Reason));
        Assert.Equal(first.BuyerId, (await _rig.Store.LoadAsync(OrderId.From("django-o-1")))!.BuyerId.Value);
    }

    [Fact]
    public async Task AnOrderIdTakenByAnOrderNotImportedFromTheSource_IsRefused()
    {
        var legacy = _rig.Generator.Order("o-2", "CREATED", ImportRig.Now.AddDays(-2));
        var native = Order.Create(new NewOrder(OrderId.From("django-o-2"), BuyerId.From("b"), OrderType.Prepaid,
            [OrderItem.Snapshot(1, "s", "p", SellerId.From("x"), "T", Money.Of(100, Currency.EUR), 1)], [], Money.Zero(Currency.EUR),
            new ShippingAddress("A", "B", null, "C", "D", "DE"), TimeSpan.FromDays(14), TimeSpan.FromMinutes(30)),
            new CommandContext(Actor.System("test"), ImportRig.Now, "c")).Unwrap();
        await _rig.Store.SaveAsync(native);

        var result = await _rig.LineAsync(LegacyFileGenerator.Serialize(legacy));

        Assert.Equal(ImportCodes.OrderIdTaken, result.Reason);
        Assert.Equal(1, (await _rig.Store.LoadAsync(native.Id))!.Version);
    }

    [Theory]
    [InlineData("BUYER")]
    [InlineData("SELLER")]
    public async Task OnlyOperatorsAndTheSystemImport(string kind)
    {
        var caller = kind == "BUYER" ? Caller.Buyer("b-1") : Caller.Seller("s-1");
        var result = await _rig.Import.ImportStreamAsync(new MemoryStream(ToFile(_rig.Generator.Lines(1).ToList())), new RequestContext(caller, ImportRig.Now, "x"));

        Assert.Equal(ApplicationRejections.Codes.Forbidden, result.Rejection?.Code);
        Assert.Equal(0, await _rig.StoredEntriesAsync());
    }

    [Fact]
    public async Task AFactRepeated_IsRefused_RatherThanSilentlyDropped()
    {
        var legacy = _rig.Generator.Order("o-3", "PAID", ImportRig.Now.AddDays(-2));
        var paid = legacy.History[^1];
        legacy = legacy with { History = [.. legacy.History, paid with { SourceEventId = "again", At = paid.At.AddMinutes(1) }] };

        var result = await _rig.LineAsync(LegacyFileGenerator.Serialize(legacy));

        Assert.Equal(ImportCodes.DuplicateFact, result.Reason);
    }

    [Fact]
    public async Task AHistoryNotStartingWithCreationAtCreatedAt_IsRefused()
    {
        var legacy = _rig.Generator.Order("o-4", "PAID", ImportRig.Now.AddDays(-2));
        legacy = legacy with { CreatedAt = legacy.CreatedAt.AddSeconds(-1) };

        Assert.Equal(ImportCodes.HistoryStart, (await _rig.LineAsync(LegacyFileGenerator.Serialize(legacy))).Reason);
    }

    [Fact]
    public async Task APaymentNoFactAccountsFor_IsRefused()
    {
        var legacy = _rig.Generator.Order("o-5", "CANCELLED-NEW", ImportRig.Now.AddDays(-2));
        legacy = legacy with { Payments = [new LegacyPaymentV1("p", "pay-x", LegacyOrderFormat.Methods.Card, "auth", legacy.Totals.Total)] };

        Assert.Equal(ImportCodes.UnusedReference, (await _rig.LineAsync(LegacyFileGenerator.Serialize(legacy))).Reason);
    }

    [Fact]
    public async Task AnItemWhoseGivenSnapshotHashIsNotItsContent_IsRefused()
    {
        var legacy = _rig.Generator.Order("o-6", "PAID", ImportRig.Now.AddDays(-2));
        legacy = legacy with { Items = [.. legacy.Items.Select(i => i with { SnapshotHash = "sha256:v1:" + new string('0', 64) })] };

        var result = await _rig.LineAsync(LegacyFileGenerator.Serialize(legacy));

        Assert.Equal(ImportCodes.InvalidValue, result.Reason);
        Assert.Contains("item.snapshot-tampered", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownCurrency_IsAnInvalidValue_NotACrash()
    {
        var text = Encoding.UTF8.GetString(LegacyFileGenerator.Serialize(_rig.Generator.Order("o-7", "PAID", ImportRig.Now.AddDays(-2))))
            .Replace("\"EUR\"", "\"XXQ\"", StringComparison.Ordinal).Replace("\"JPY\"", "\"XXQ\"", StringComparison.Ordinal);

        var result = await _rig.LineAsync(Encoding.UTF8.GetBytes(text));

        Assert.Equal(ImportCodes.InvalidValue, result.Reason);
        Assert.Contains("currency", result.Detail, StringComparison.Ordinal);
    }

    private static byte[] ToFile(List<GeneratedLine> lines)
    {
        using var file = new MemoryStream();
        LegacyFileGenerator.Write(file, lines);
        return file.ToArray();
    }

    public void Dispose() => _rig.Dispose();
}
