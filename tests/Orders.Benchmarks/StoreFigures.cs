using System.Diagnostics;
using System.Globalization;
using Orders.Application.Access;
using Orders.Application.UseCases;
using Orders.Application.UseCases.Commands;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;
using Orders.Infrastructure.Sqlite;

namespace Orders.Benchmarks;

/// <summary>The embedded store's figures: the real use cases against a SQLite file in a temporary folder.</summary>
internal static class StoreFigures
{
    public static async Task RunAsync(int orders)
    {
        var folder = Path.Combine(Path.GetTempPath(), "orders-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            using var store = new SqliteOrderStore(new SqliteStoreOptions { Path = Path.Combine(folder, "orders.db") });
            var options = new CommandOptions();
            var runner = new OrderCommandRunner(store, options);
            var create = new CreateOrder(store, options);
            var confirm = new ConfirmOrder(runner);
            var pay = new MarkOrderPaid(runner);
            var ship = new RecordShipment(runner);
            var deliver = new RecordDelivery(runner);
            var get = new GetOrder(store);
            var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            var buyer = Caller.Buyer("buyer-1");
            var saga = Caller.System("bench");
            var address = new ShippingAddress("A Buyer", "1 Street", null, "City", "12345", "DE");
            var command = new CreateOrderCommand(BuyerId.From("buyer-1"), OrderType.Prepaid,
                [OrderItem.Snapshot(1, "sku-1", "p-1", SellerId.From("seller-1"), "Widget", Money.Of(1999, Currency.EUR), 2),
                 OrderItem.Snapshot(2, "sku-2", "p-2", SellerId.From("seller-1"), "Gadget", Money.Of(4999, Currency.EUR), 1)],
                [], Money.Of(495, Currency.EUR), address);

            async Task<OrderId> Lifecycle(int i)
            {
                var request = new RequestContext(buyer, t0, $"c-{i}", $"key-{i}");
                var id = (await create.ExecuteAsync(command, request)).Unwrap().Receipt.OrderId;
                var sys = new RequestContext(saga, t0.AddMinutes(1), $"s-{i}");
                (await confirm.ExecuteAsync(new ConfirmOrderCommand(id, "res", "auth"), sys)).Unwrap();
                (await pay.ExecuteAsync(new MarkOrderPaidCommand(id, "pay", Money.Of(9492, Currency.EUR)), sys)).Unwrap();
                (await ship.ExecuteAsync(new RecordShipmentCommand(id, "shp", "DHL", "T"), sys)).Unwrap();
                (await deliver.ExecuteAsync(new RecordDeliveryCommand(id, "shp"), sys)).Unwrap();
                return id;
            }

            for (var i = 0; i < 100; i++) await Lifecycle(-i - 1); // warm-up: JIT, connection pool, page cache

            Measure("sequential, 5 commands per order", orders * 5, async () => { for (var i = 0; i < orders; i++) await Lifecycle(i); });

            const int workers = 8;
            Measure($"{workers} concurrent callers, 5 commands per order", orders * 5, async () =>
                await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
                {
                    for (var i = 0; i < orders / workers; i++) await Lifecycle(1_000_000 + w * orders + i);
                }))));

            var someId = (await create.ExecuteAsync(command, new RequestContext(buyer, t0, "c", "read-key"))).Unwrap().Receipt.OrderId;
            Measure("order reads (rebuilt from history)", orders * 5, async () =>
            {
                for (var i = 0; i < orders * 5; i++) (await get.ExecuteAsync(someId, buyer)).Unwrap();
            });

            var built = Enumerable.Range(0, orders).Select(i => Order.Create(new NewOrder(OrderId.From($"raw-{i}"), command.BuyerId, command.Type,
                command.Items, command.Promotions, command.ShippingFee, address, NewOrder.DefaultReturnWindow, NewOrder.DefaultPaymentWindow),
                new CommandContext(Actor.System("bench"), t0, "c")).Unwrap()).ToArray();
            Measure("store saves of new orders (port only)", orders, async () => { foreach (var o in built) await store.SaveAsync(o); });
            Measure("store loads (port only)", orders, async () => { foreach (var o in built) await store.LoadAsync(o.Id); });
            // What a saga's facts and the saga-start check read instead of a load (decision 0034): the stored state. Kept from
            // the save when this process wrote the row at that version; else read from the file, as by another process
            // or once the kept value was dropped (2,048 orders per store), with a second store over the same file.
            Measure("store state reads, as saved (port only)", orders, async () => { foreach (var o in built) await store.ReadStateAsync(o.Id); });
            using (var other = new SqliteOrderStore(new SqliteStoreOptions { Path = Path.Combine(folder, "orders.db") }))
                Measure("store state reads, from the file (port only)", orders, async () => { foreach (var o in built) await other.ReadStateAsync(o.Id); });

            var size = new FileInfo(Path.Combine(folder, "orders.db")).Length + new FileInfo(Path.Combine(folder, "orders.db-wal")).Length;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"store size: {size / 1024.0 / 1024.0:F1} MiB for {orders * 2 + 101} orders"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }

    }

    static void Measure(string name, int operations, Func<Task> body)
    {
        GC.Collect();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        body().GetAwaiter().GetResult();
        watch.Stop();
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-45} {operations,7} ops in {watch.Elapsed.TotalSeconds,6:F2} s = {operations / watch.Elapsed.TotalSeconds,8:F0} ops/s, " +
            $"{watch.Elapsed.TotalMilliseconds * 1000 / operations,7:F0} µs/op, {allocated / operations / 1024.0,6:F1} KiB allocated/op"));
    }
}
