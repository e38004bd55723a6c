using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Orders.Domain.Events;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;
using Orders.Application.Persistence;

namespace Orders.Infrastructure.Tests.History;

/// <summary>
/// Histories written by earlier code load and verify forever: the committed corpus is read exactly as a store reads
/// its rows, its chains are recomputed from the stored bytes alone (with this file's own SHA-256, not the domain's),
/// and it still verifies when an event gains an optional field or moves to a new schema version with an upcaster.
/// </summary>
public sealed class HistoryCorpusTests
{
    private static IEnumerable<IGrouping<string, (string OrderId, long Sequence, string Stored)>> Orders() =>
        HistoryCorpus.Read().GroupBy(e => e.OrderId);

    [Fact]
    public void TheCorpusHoldsEveryEventType()
    {
        var types = HistoryCorpus.Read().Select(e => StoredJson.ReadEntry(e.Stored).Event.Type).ToHashSet();
        Assert.Equal(EventCatalog.Current.Types.Select(t => t.TypeName).Order(), types.Order());
    }

    [Fact]
    public void EveryCorpusHistory_LoadsAndVerifies()
    {
        var orders = 0;
        foreach (var order in Orders())
        {
            var rebuilt = StoredJson.Rebuild(OrderId.From(order.Key), order.OrderBy(e => e.Sequence).Select(e => e.Stored));
            Assert.True(rebuilt.VerifyHistory().IsIntact, $"{order.Key}: {rebuilt.VerifyHistory()}");
            orders++;
        }
        Assert.Equal(10, orders); // 6 in the first file, 4 in the resolutions file
    }

    [Fact]
    public void EveryCorpusChain_IsRecomputedFromTheStoredBytesAlone()
    {
        foreach (var order in Orders())
        {
            var previous = "genesis";
            foreach (var (_, _, stored) in order.OrderBy(e => e.Sequence))
            {
                var envelope = JsonNode.Parse(stored)!;
                Assert.Equal("orders.history.v2", (string?)envelope["chain"]);
                Assert.Equal(previous, (string?)envelope["previousHash"]);
                var content = (string)envelope["content"]!;
                var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"orders.history.v2\n{previous}\n{content}")));
                Assert.Equal(hash, (string?)envelope["hash"]);
                previous = hash;
            }
        }
    }

    [Fact]
    public void TheCorpus_StillVerifiesWhenAnEventGainsAnOptionalField()
    {
        var catalog = EventCatalog.Current.With(EventCatalog.Registration.Of<OrderPaidWithMethod>(OrderPaid.TypeName));
        var paid = 0;
        foreach (var order in Orders())
        {
            var entries = order.OrderBy(e => e.Sequence).Select(e => StoredJson.ReadEnvelope(e.Stored))
                .Select(s => HistoryEntry.Decode(s.Content, s.PreviousHash, s.Hash, catalog)).ToArray();
            Assert.True(OrderHistory.Verify(entries, catalog).IsIntact, order.Key);
            foreach (var e in entries.Select(e => e.Event).OfType<OrderPaidWithMethod>())
            {
                Assert.Null(e.Method);
                paid++;
            }
        }
        Assert.True(paid > 0, "the corpus has no order.paid entry");
    }

    [Fact]
    public void TheCorpus_StillVerifiesAndLoadsWhenAnEventMovesToANewSchemaVersion()
    {
        // Version 2 of order.confirmed renames paymentAuthorizationId to authorization; entries stored at version 1
        // are upcast on read. The stored bytes, and so the chain, are untouched.
        var catalog = EventCatalog.Current.With(new EventCatalog.Registration(OrderConfirmed.TypeName, typeof(OrderConfirmedV2), 2,
            new Dictionary<int, Func<JsonObject, JsonObject>>
            {
                [1] = v1 =>
                {
                    var v2 = (JsonObject)v1.DeepClone();
                    v2["authorization"] = v2["paymentAuthorizationId"]?.DeepClone();
                    v2.Remove("paymentAuthorizationId");
                    return v2;
                },
            }));
        var confirmed = new List<OrderConfirmedV2>();
        foreach (var order in Orders())
        {
            var entries = order.OrderBy(e => e.Sequence).Select(e => StoredJson.ReadEnvelope(e.Stored))
                .Select(s => HistoryEntry.Decode(s.Content, s.PreviousHash, s.Hash, catalog)).ToArray();
            Assert.True(OrderHistory.Verify(entries, catalog).IsIntact, order.Key);
            confirmed.AddRange(entries.Select(e => e.Event).OfType<OrderConfirmedV2>());
        }
        Assert.Contains(confirmed, c => c.Authorization == "auth-1");
        Assert.Contains(confirmed, c => c.Authorization is null);
    }

    [Fact]
    public void AnEntryStoredAtAVersionThisCodeDoesNotKnow_IsRefusedNotMisread()
    {
        var (_, _, stored) = HistoryCorpus.Read()[0];
        var envelope = StoredJson.ReadEnvelope(stored);
        var future = envelope.Content.Replace("\"schemaVersion\":1", "\"schemaVersion\":9", StringComparison.Ordinal);

        var refused = Assert.Throws<Orders.Domain.Common.DomainException>(() => HistoryEntry.Decode(future, envelope.PreviousHash, envelope.Hash));
        Assert.Contains("schema version 9", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>order.paid as it might look one day: with an optional member that older entries lack.</summary>
    private sealed record OrderPaidWithMethod(OrderId OrderId, string PaymentId, Money Amount, DateTimeOffset? CapturedAt = null, string? Method = null) : OrderEvent(OrderId)
    {
        public override string Type => OrderPaid.TypeName;
    }

    /// <summary>order.confirmed at schema version 2.</summary>
    private sealed record OrderConfirmedV2(OrderId OrderId, string ReservationId, string? Authorization) : OrderEvent(OrderId)
    {
        public override string Type => OrderConfirmed.TypeName;
    }
}
