using Orders.Application.UseCases.Commands;
using static Orders.Application.Tests.TestData;
using static Orders.Application.Tests.UseCases.Harness;
using static Orders.Application.Tests.UseCases.ResultAssert;

namespace Orders.Application.Tests.UseCases;

/// <summary>Who may see and do what: each refusal proved, and nothing written by a refused caller.</summary>
public sealed class AccessTests : IDisposable
{
    private readonly Harness _h = new();

    [Fact]
    public async Task AnotherBuyer_CannotSeeTheOrder_AndIsToldItDoesNotExist()
    {
        var id = await _h.CreatedAsync();
        Rejected("order.not-found", await _h.Get.ExecuteAsync(id, OtherBuyer));
        Rejected("order.not-found", await _h.Cancel.ExecuteAsync(new CancelOrderCommand(id, "x"), Request(OtherBuyer)));
        Assert.Equal(1, (await _h.LoadAsync(id)).Version);
    }

    [Fact]
    public async Task ASellerWithoutItemsInTheOrder_CannotSeeIt()
    {
        var id = await _h.CreatedAsync();
        Rejected("order.not-found", await _h.Get.ExecuteAsync(id, StrangerSeller));
        Assert.True((await _h.Get.ExecuteAsync(id, SellerA)).IsSuccess);
    }

    [Fact]
    public async Task ABuyer_CannotMarkTheirOrderPaid_ShipIt_OrCloseIt()
    {
        var id = await _h.CreatedAsync();
        Rejected("order.forbidden", await _h.MarkPaid.ExecuteAsync(new MarkOrderPaidCommand(id, "p", Usd(3000)), Request(Buyer)));
        Rejected("order.forbidden", await _h.Ship.ExecuteAsync(new RecordShipmentCommand(id, "s", "c", "t"), Request(Buyer)));
        Rejected("order.forbidden", await _h.Close.ExecuteAsync(new CloseOrderCommand(id), Request(Buyer)));
        Rejected("order.forbidden", await _h.Confirm.ExecuteAsync(new ConfirmOrderCommand(id, "r", "a"), Request(Buyer)));
        Assert.Equal(1, (await _h.LoadAsync(id)).Version);
    }

    [Fact]
    public async Task ASeller_MayShipButNotMarkPaid()
    {
        var id = await _h.PaidAsync();
        Rejected("order.forbidden", await _h.MarkPaid.ExecuteAsync(new MarkOrderPaidCommand(id, "p", Usd(3000)), Request(SellerA)));
        (await _h.Ship.ExecuteAsync(new RecordShipmentCommand(id, "s", "c", "t"), Request(SellerA))).Unwrap();
    }

    [Fact]
    public async Task AnOperator_SeesAndActsOnAnyOrder()
    {
        var id = await _h.CreatedAsync();
        Assert.True((await _h.Get.ExecuteAsync(id, Operator)).IsSuccess);
        (await _h.Cancel.ExecuteAsync(new CancelOrderCommand(id, "fraud"), Request(Operator))).Unwrap();
    }

    public void Dispose() => _h.Dispose();
}
