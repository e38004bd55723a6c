using Orders.Domain.Common;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;
using static Orders.Domain.Tests.TestSupport.TestOrders;

namespace Orders.Domain.Tests.OrderAggregate;

public sealed class ImportOriginTests
{
    private static CommandContext Imported(DateTimeOffset at, string eventId, string? reason = null, Actor? actor = null) =>
        new(actor ?? Actor.Buyer(Buyer), at, new ImportOrigin("django", eventId, reason));

    [Fact]
    public void AnImportedFact_IsRecordedByTheSameCommand_AtItsOwnTime_WithItsSourceAndLegacyReason()
    {
        var order = Order.Create(Draft(), Imported(T0, "h-1")).Unwrap();

        Assert.Null(order.Cancel("buyer called", Imported(T0 + Step, "h-2", "customer phoned on Tuesday")));

        var entry = order.History[^1];
        Assert.Equal(T0 + Step, entry.At);
        Assert.Equal("import:django:h-2", entry.CausationId);
        Assert.Equal("imported from django (h-2): cancelled: buyer called; legacy reason: customer phoned on Tuesday", entry.Reason);
        Assert.True(ImportOrigin.IsImported(entry));
        Assert.True(order.VerifyHistory().IsIntact);
    }

    [Fact]
    public void AnImportedFact_ObeysTheStateMachine_LikeANativeOne()
    {
        var order = Order.Create(Draft(), Imported(T0, "h-1")).Unwrap();

        Assert.Equal(OrderRejections.Codes.NotShippable, order.Ship("shp", "DHL", "T", Imported(T0 + Step, "h-2"))?.Code);
        Assert.Equal(1, order.Version);
    }

    [Fact]
    public void ANativeEntry_IsNotImported_EvenWithAnImportLikeCausationId()
    {
        var order = Order.Create(Draft(), Context(T0, "import:django:h-1")).Unwrap();

        Assert.False(ImportOrigin.IsImported(order.History[0]));
    }

    [Fact]
    public void AnEditedImportMarker_BreaksTheChain()
    {
        var order = Order.Create(Draft(), Imported(T0, "h-1")).Unwrap();
        var forged = order.History[0] with { Reason = "order created" };

        Assert.False(OrderHistory.Verify([forged]).IsIntact);
    }

    [Fact]
    public void AnOverlongSourceEventId_IsRefused() =>
        Assert.Equal("sourceEventId.too-long", Assert.Throws<DomainException>(() => new ImportOrigin("django", new string('e', 161), null)).Code);
}
