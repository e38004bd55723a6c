using Orders.Domain.Events;
using Orders.Domain.OrderAggregate;
using Orders.Domain.Tests.TestSupport;
using Orders.Domain.ValueObjects;
using static Orders.Domain.Tests.TestSupport.TestOrders;

namespace Orders.Domain.Tests.OrderAggregate;

/// <summary>
/// "History must never lie": an edited, dropped or reordered entry is found, and named by its sequence. The history
/// used: 1 created, 2 confirmed, 3 paid, 4 shipped, 5 delivered, 6 closed.
/// </summary>
public sealed class HistoryTamperingTests
{
    private static List<HistoryEntry> History() => [.. In(Stage.Closed).Order.History];

    private static HistoryVerification Verify(IReadOnlyList<HistoryEntry> entries) => OrderHistory.Verify(entries);

    private static void AssertBrokenAt(long sequence, string problem, IReadOnlyList<HistoryEntry> entries)
    {
        var verification = Verify(entries);

        Assert.False(verification.IsIntact);
        Assert.Equal(sequence, verification.BrokenAtSequence);
        Assert.Contains(problem, verification.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUntouchedHistory_IsIntact()
    {
        var verification = Verify(History());

        Assert.True(verification.IsIntact);
        Assert.Null(verification.BrokenAtSequence);
        Assert.Null(verification.Problem);
    }

    [Fact]
    public void AnEmptyHistory_HasNothingToContradict()
    {
        Assert.True(Verify([]).IsIntact);
    }

    [Fact]
    public void AnEditedReason_IsFoundAtItsEntry()
    {
        var entries = History();
        entries[2] = entries[2] with { Reason = "payment waived" };

        AssertBrokenAt(3, "edited", entries);
    }

    [Fact]
    public void AnEditedTime_IsFoundAtItsEntry()
    {
        var entries = History();
        entries[3] = entries[3] with { At = entries[3].At.AddSeconds(-1) };

        AssertBrokenAt(4, "edited", entries);
    }

    [Fact]
    public void AnEditedAmountInsideTheEvent_IsFoundAtItsEntry()
    {
        var entries = History();
        entries[2] = entries[2] with { Event = (OrderPaid)entries[2].Event with { Amount = Usd(1) } };

        AssertBrokenAt(3, "edited", entries);
    }

    [Fact]
    public void AnEditedActor_IsFoundAtItsEntry()
    {
        var entries = History();
        entries[5] = entries[5] with { Actor = Actor.Operator("intruder") };

        AssertBrokenAt(6, "edited", entries);
    }

    [Fact]
    public void AnEditedEntryWithARecomputedHash_IsFoundByTheEntryAfterIt()
    {
        var entries = History();
        var edited = Resealed(entries[2] with { Event = (OrderPaid)entries[2].Event with { Amount = Usd(1) } });
        entries[2] = edited;

        AssertBrokenAt(4, "previous-hash does not match", entries);
    }

    [Fact]
    public void ADroppedEntry_IsFoundWhereItWasMissing()
    {
        var entries = History();
        entries.RemoveAt(2);

        AssertBrokenAt(3, "expected sequence 3, found 4", entries);
    }

    [Fact]
    public void TwoReorderedEntries_AreFoundAtTheFirstOfThem()
    {
        var entries = History();
        (entries[2], entries[3]) = (entries[3], entries[2]);

        AssertBrokenAt(3, "expected sequence 3, found 4", entries);
    }

    [Fact]
    public void ReorderedEntriesWithRenumberedSequences_AreFoundByTheirBrokenLinks()
    {
        var entries = History();
        (entries[2], entries[3]) = (entries[3] with { Sequence = 3 }, entries[2] with { Sequence = 4 });

        AssertBrokenAt(3, "previous-hash does not match", entries);
    }

    [Fact]
    public void AChangedFromStatus_IsFoundAtItsEntry()
    {
        var entries = History();
        entries[3] = entries[3] with { From = OrderStatus.Confirmed };

        AssertBrokenAt(4, "edited", entries);
    }

    [Fact]
    public void AChangedFromStatusWithARecomputedHash_IsFoundAsAGapInTheStatuses()
    {
        var entries = History();
        entries[3] = Resealed(entries[3] with { From = OrderStatus.Confirmed });
        entries[4] = entries[4] with { PreviousHash = entries[3].Hash };

        AssertBrokenAt(4, "starts from CONFIRMED but the order was PAID", entries);
    }

    [Fact]
    public void AnEditedMemberWhoseStoredContentWasLeftAlone_IsFoundAtItsEntry()
    {
        var entries = History();
        entries[2] = entries[2] with { Reason = "payment waived" }; // content and hash untouched: the member lies

        AssertBrokenAt(3, "not what its stored content says", entries);
    }

    [Fact]
    public void EditedStoredContent_IsFoundAtItsEntry()
    {
        var entries = History();
        entries[2] = entries[2] with { Content = entries[2].Content.Replace("captured", "waived", StringComparison.Ordinal) };

        AssertBrokenAt(3, "stored content does not match its hash", entries);
    }

    /// <summary>What a careful forger does: rewrites the stored content to match the edit and rehashes it.</summary>
    private static HistoryEntry Resealed(HistoryEntry edited)
    {
        var content = HistoryEntry.Encode(edited);
        return edited with { Content = content, Hash = HistoryEntry.HashOf(edited.PreviousHash, content) };
    }

    /// <summary>The history as a store hands it back: every entry decoded from its stored content and hashes.</summary>
    private static List<HistoryEntry> Decoded() => [.. History().Select(e => HistoryEntry.Decode(e.Content, e.PreviousHash, e.Hash))];

    [Fact]
    public void ADecodedHistory_VerifiedTwice_IsIntactBothTimes()
    {
        var entries = Decoded();

        Assert.True(Verify(entries).IsIntact);
        Assert.True(Verify(entries).IsIntact); // the second time from what the first remembered about these instances
    }

    [Fact]
    public void ACopyOfADecodedEntry_IsCheckedInFull_NotTrustedLikeTheDecodedOne()
    {
        // Verification remembers that a decoded instance says what its content says and that its hash covers it; an
        // edited copy is a new instance and must not inherit that.
        var entries = Decoded();
        Assert.True(Verify(entries).IsIntact);

        var memberLies = new List<HistoryEntry>(entries) { [2] = entries[2] with { Reason = "payment waived" } };
        AssertBrokenAt(3, "not what its stored content says", memberLies);

        var contentEdited = new List<HistoryEntry>(entries) { [2] = entries[2] with { Content = entries[2].Content.Replace("captured", "waived", StringComparison.Ordinal) } };
        AssertBrokenAt(3, "stored content does not match its hash", contentEdited);

        var hashEdited = new List<HistoryEntry>(entries) { [3] = entries[3] with { Hash = new string('0', 64) } };
        AssertBrokenAt(4, "stored content does not match its hash", hashEdited);
    }

    [Fact]
    public void UnchangedCopies_AsAReadModelHandsThemBack_AreIntact_AndAnEditedCopyIsNot()
    {
        // New instances equal to the decoded ones (what deserialising a stored read model gives on every read).
        var copies = Decoded().Select(e => e with { }).ToList();
        Assert.True(Verify(copies).IsIntact);
        Assert.True(Verify(copies.Select(e => e with { }).ToList()).IsIntact);

        copies[4] = copies[4] with { Reason = "not what happened" };
        AssertBrokenAt(5, "not what its stored content says", copies);
    }

    [Fact]
    public void AnEntryDecodedFromEditedContent_IsFoundAtItsEntry()
    {
        // Decoded (so remembered as self-consistent) but its stored hash no longer covers the content.
        var entries = Decoded();
        var edited = entries[2].Content.Replace(entries[2].Reason, "payment waived", StringComparison.Ordinal);
        Assert.NotEqual(entries[2].Content, edited);
        entries[2] = HistoryEntry.Decode(edited, entries[2].PreviousHash, entries[2].Hash);

        AssertBrokenAt(3, "stored content does not match its hash", entries);
    }

    [Fact]
    public void AnOrderReportsItsOwnHistoryAsIntact()
    {
        Assert.True(In(Stage.Refunded, OrderType.CashOnDelivery).Order.VerifyHistory().IsIntact);
    }
}
