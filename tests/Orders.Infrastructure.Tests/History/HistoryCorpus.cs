using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orders.Domain.Common;
using Orders.Domain.OrderAggregate;
using Orders.Domain.Services;
using Orders.Domain.ValueObjects;
using Orders.Application.Persistence;

namespace Orders.Infrastructure.Tests.History;

/// <summary>
/// The committed corpus: histories written by the code of December 2026 (chain format orders.history.v2, every event
/// at schema version 1), one stored entry per line exactly as the stores keep it. It is test data that must load and
/// verify forever: never regenerate or edit it. New formats and new event types get a new file beside it:
/// <see cref="FileName"/> was written before the operator resolutions existed (its entries lack their optional
/// members, <c>lostShipmentId</c> and <c>settlementReference</c>, and still verify), <see cref="ResolutionsFileName"/>
/// after (it holds <c>order.operator-resolution</c> and the lost-parcel and manual-settlement shapes).
/// </summary>
public static class HistoryCorpus
{
    public const string FileName = "histories-2026-12.v2.jsonl";
    public const string ResolutionsFileName = "histories-2026-12-resolutions.v2.jsonl";

    public static IReadOnlyList<string> Files { get; } = [FileName, ResolutionsFileName];

    public static string PathOf(string fileName = FileName, [CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "Corpus", fileName);

    /// <summary>(order id, sequence, the stored entry text) per line, of every corpus file.</summary>
    public static IReadOnlyList<(string OrderId, long Sequence, string Stored)> Read() =>
        [.. Files.SelectMany(f => File.ReadLines(PathOf(f))).Where(l => l.Length > 0).Select(line =>
        {
            var node = JsonNode.Parse(line)!;
            return ((string)node["orderId"]!, (long)node["sequence"]!, (string)node["entry"]!);
        })];

    /// <summary>
    /// How a corpus file was written (once each, on 2026-12-05, by a throwaway test calling <c>Write(Generate())</c>
    /// and <c>Write(GenerateResolutions(), ResolutionsFileName)</c>). Kept to document their making; it refuses to
    /// write over an existing corpus file.
    /// </summary>
    public static void Write(IEnumerable<Order> orders, string fileName = FileName)
    {
        if (File.Exists(PathOf(fileName))) throw new InvalidOperationException($"{fileName} exists: a corpus file is never rewritten.");
        using var writer = new StreamWriter(PathOf(fileName), append: false) { NewLine = "\n" };
        foreach (var order in orders)
            foreach (var entry in order.History)
                writer.WriteLine(new JsonObject
                {
                    ["orderId"] = order.Id.Value,
                    ["sequence"] = entry.Sequence,
                    ["entry"] = StoredJson.WriteEntry(entry),
                }.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    /// <summary>Orders whose histories hold every event type, written by today's domain.</summary>
    public static IReadOnlyList<Order> Generate()
    {
        var t = new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);
        CommandContext At(int minutes, string actor = "saga") => new(Actor.System(actor), t.AddMinutes(minutes), $"cmd-{minutes}");
        var eur = Currency.Of("EUR");
        Order Create(string id, OrderType type, params (string Seller, long Price)[] lines)
        {
            var items = lines.Select((l, i) => OrderItem.Snapshot(i + 1, $"sku-{i + 1}", $"prod-{i + 1}", SellerId.From(l.Seller), $"Item «{i + 1}» — tea",
                Money.Of(l.Price, eur), 2, new Dictionary<string, string> { ["colour"] = "grün", ["size"] = "L" })).ToArray();
            return Order.Create(new NewOrder(OrderId.From(id), BuyerId.From("buyer-1"), type, items, [new Promotion("WELCOME", PromotionKind.AmountOff, 100)],
                Money.Of(495, eur), new ShippingAddress("Ada Lovelace", "1 Analytical Way", null, "London", "N1 1AA", "GB"),
                TimeSpan.FromDays(14), TimeSpan.FromMinutes(30)), new CommandContext(Actor.Buyer(BuyerId.From("buyer-1")), t, "create-" + id)).Unwrap();
        }
        void Ok(Rejection? rejection) { if (rejection is not null) throw new InvalidOperationException(rejection.ToString()); }

        var refunded = Create("corpus-prepaid-refunded", OrderType.Prepaid, ("seller-a", 1250));
        Ok(refunded.ChangeShippingAddress(new ShippingAddress("Ada Lovelace", "2 Difference Road", "Flat 3", "London", "N1 2AB", "GB"), At(1)));
        Ok(refunded.Confirm("res-1", "auth-1", At(2)));
        Ok(refunded.MarkPaid("pay-1", refunded.Total, At(3)));
        Ok(refunded.Ship("ship-1", "dhl", "trk-1", At(4)));
        Ok(refunded.Deliver("ship-1", At(5)));
        Ok(refunded.RequestRefund("ref-1", Money.Of(500, eur), "scratched", At(6, "buyer")));
        Ok(refunded.RecordRefund("ref-1", At(7)));
        Ok(refunded.RequestRefund("ref-2", refunded.RefundableAmount, "returned", At(8, "buyer")));
        Ok(refunded.RecordRefund("ref-2", At(9)));
        Ok(refunded.Close(At(10)));

        var cod = Create("corpus-cod-closed", OrderType.CashOnDelivery, ("seller-b", 800));
        Ok(cod.Confirm("res-2", null, At(1)));
        Ok(cod.Ship("ship-2", "ups", "trk-2", At(2)));
        Ok(cod.RecordCashCollected("cash-2", cod.Total, At(3)));
        Ok(cod.Deliver("ship-2", At(4)));
        Ok(cod.Close(At(14 * 24 * 60 + 10)));

        var cancelled = Create("corpus-cancelled", OrderType.Prepaid, ("seller-a", 999));
        Ok(cancelled.Confirm("res-3", "auth-3", At(1)));
        Ok(cancelled.Cancel("changed my mind", At(2, "buyer")));

        var parent = Create("corpus-split", OrderType.Prepaid, ("seller-a", 1250), ("seller-b", 800));
        var split = parent.Split(At(1)).Unwrap();
        return [refunded, cod, cancelled, split.Parent, .. split.Children];
    }

    /// <summary>Orders whose histories hold the operator resolutions (decision 0016), written by today's domain.</summary>
    public static IReadOnlyList<Order> GenerateResolutions()
    {
        var t = new DateTimeOffset(2026, 12, 5, 18, 0, 0, TimeSpan.Zero);
        CommandContext At(int minutes, string actor = "saga") => new(Actor.System(actor), t.AddMinutes(minutes), $"cmd-{minutes}");
        CommandContext Operator(int minutes) => new(Actor.Operator("ops-1"), t.AddMinutes(minutes), $"op-{minutes}");
        var eur = Currency.Of("EUR");
        Order Create(string id, OrderType type, long price)
        {
            var items = new[] { OrderItem.Snapshot(1, "sku-1", "prod-1", SellerId.From("seller-a"), "Kettle «Ada»", Money.Of(price, eur), 1,
                new Dictionary<string, string> { ["colour"] = "grün" }) };
            return Order.Create(new NewOrder(OrderId.From(id), BuyerId.From("buyer-2"), type, items, [], Money.Of(495, eur),
                new ShippingAddress("Ada Lovelace", "1 Analytical Way", null, "London", "N1 1AA", "GB"),
                TimeSpan.FromDays(14), TimeSpan.FromMinutes(30)), new CommandContext(Actor.Buyer(BuyerId.From("buyer-2")), t, "create-" + id)).Unwrap();
        }
        void Ok(Rejection? rejection) { if (rejection is not null) throw new InvalidOperationException(rejection.ToString()); }

        var lostRefunded = Create("corpus-lost-refunded", OrderType.Prepaid, 2000);
        Ok(lostRefunded.Confirm("res-1", "auth-1", At(1)));
        Ok(lostRefunded.MarkPaid("pay-1", lostRefunded.Total, At(2)));
        Ok(lostRefunded.Ship("ship-1", "dhl", "trk-1", At(3)));
        Ok(lostRefunded.AcknowledgeStuck("shipment-overdue", "carrier asked to trace it", Operator(4)));
        Ok(lostRefunded.RefundLostParcel("ship-1", "lost-ship-1", "carrier confirmed the parcel lost", Operator(5)));
        Ok(lostRefunded.RecordRefund("lost-ship-1", At(6)));
        Ok(lostRefunded.Close(At(7)));

        var lostReplaced = Create("corpus-lost-replaced", OrderType.Prepaid, 1500);
        Ok(lostReplaced.Confirm("res-2", "auth-2", At(1)));
        Ok(lostReplaced.MarkPaid("pay-2", lostReplaced.Total, At(2)));
        Ok(lostReplaced.Ship("ship-2", "ups", "trk-2", At(3)));
        Ok(lostReplaced.ReplaceLostParcel("ship-2", "buyer prefers a replacement", Operator(4)));
        Ok(lostReplaced.Ship("ship-2b", "ups", "trk-2b", At(5)));
        Ok(lostReplaced.Deliver("ship-2b", At(6)));

        var settled = Create("corpus-refund-settled", OrderType.Prepaid, 1200);
        Ok(settled.Confirm("res-3", "auth-3", At(1)));
        Ok(settled.MarkPaid("pay-3", settled.Total, At(2)));
        Ok(settled.Ship("ship-3", "dhl", "trk-3", At(3)));
        Ok(settled.Deliver("ship-3", At(4)));
        Ok(settled.RequestRefund("ref-3", settled.RefundableAmount, "returned", At(5, "buyer")));
        Ok(settled.RecordSagaRetry("refund-corpus-refund-settled-ref-3", "payments refused; retried once", Operator(6)));
        Ok(settled.SettleRefundManually("ref-3", "bank-transfer-0042", "refunded by bank transfer", Operator(7)));

        var late = Create("corpus-late-capture", OrderType.Prepaid, 900);
        Ok(late.Confirm("res-4", "auth-4", At(1)));
        Ok(late.Cancel("changed my mind", At(2, "buyer")));
        Ok(late.ReturnLateCapture("pay-4", late.Total, "late-pay-4", "payment captured after the order was cancelled", At(3, "payments-integration")));
        Ok(late.RecordRefund("late-pay-4", At(4)));
        return [lostRefunded, lostReplaced, settled, late];
    }
}
