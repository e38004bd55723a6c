using Orders.Application.Access;
using Orders.Application.Ports.Outbound;
using Orders.Application.UseCases;
using Orders.Application.UseCases.Commands;
using Orders.Domain.Common;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;
using Orders.Infrastructure.InMemory;
using Orders.Infrastructure.Sqlite;
using static Orders.Application.Tests.TestData;

namespace Orders.Application.Tests.UseCases;

/// <summary>Every use case wired to one store, with helpers that drive an order through its life.</summary>
public sealed class Harness : IDisposable
{
    private readonly TempFolder? _folder;
    private readonly SqliteOrderStore? _sqlite;

    public Harness(bool sqlite = false, CommandOptions? options = null)
    {
        Options = options ?? new CommandOptions();
        if (sqlite)
        {
            _folder = new TempFolder();
            _sqlite = new SqliteOrderStore(new SqliteStoreOptions { Path = _folder.File("orders.db") });
            Store = _sqlite;
            Log = _sqlite;
        }
        else
        {
            var memory = new InMemoryOrderStore();
            Store = memory;
            Log = memory;
        }
        var runner = new OrderCommandRunner(Store, Options);
        Create = new CreateOrder(Store, Options);
        Confirm = new ConfirmOrder(runner);
        Cancel = new CancelOrder(runner);
        Split = new SplitOrder(runner, Store);
        MarkPaid = new MarkOrderPaid(runner);
        Ship = new RecordShipment(runner);
        Deliver = new RecordDelivery(runner);
        Cash = new RecordCashCollected(runner);
        Refund = new InitiateRefund(runner);
        RecordRefund = new RecordRefund(runner);
        Close = new CloseOrder(runner);
        ChangeAddress = new ChangeShippingAddress(runner);
        Get = new GetOrder(Store);
    }

    public CommandOptions Options { get; }
    public IOrderStore Store { get; }
    public IOrderChangeLog Log { get; }
    public CreateOrder Create { get; }
    public ConfirmOrder Confirm { get; }
    public CancelOrder Cancel { get; }
    public SplitOrder Split { get; }
    public MarkOrderPaid MarkPaid { get; }
    public RecordShipment Ship { get; }
    public RecordDelivery Deliver { get; }
    public RecordCashCollected Cash { get; }
    public InitiateRefund Refund { get; }
    public RecordRefund RecordRefund { get; }
    public CloseOrder Close { get; }
    public ChangeShippingAddress ChangeAddress { get; }
    public GetOrder Get { get; }

    public static Money Usd(long minor) => Money.Of(minor, Currency.USD);

    public async Task<OrderId> CreatedAsync(string key = "key-1", OrderType type = OrderType.Prepaid, bool twoSellers = false) =>
        (await Create.ExecuteAsync(CreateCommand(type, twoSellers: twoSellers), Request(Buyer, key))).Unwrap().Receipt.OrderId;

    public async Task<OrderId> PaidAsync(string key = "key-1")
    {
        var id = await CreatedAsync(key);
        (await Confirm.ExecuteAsync(new ConfirmOrderCommand(id, "res-1", "auth-1"), Request(Saga))).Unwrap();
        (await MarkPaid.ExecuteAsync(new MarkOrderPaidCommand(id, "pay-1", Usd(3000)), Request(Saga))).Unwrap();
        return id;
    }

    public async Task<Order> LoadAsync(OrderId id) => (await Store.LoadAsync(id))!;

    public async Task<int> EventCountAsync()
    {
        var batch = await Log.ReadAsync("count-" + Guid.NewGuid().ToString("N"), 10_000);
        return batch.Events.Count;
    }

    public void Dispose()
    {
        _sqlite?.Dispose();
        _folder?.Dispose();
    }
}

public static class ResultAssert
{
    public static void Rejected<T>(string code, Result<T> result)
    {
        Assert.False(result.IsSuccess, $"Expected rejection {code}, but the command succeeded.");
        Assert.Equal(code, result.Rejection!.Code);
    }
}
