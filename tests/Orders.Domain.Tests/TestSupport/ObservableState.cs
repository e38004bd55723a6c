using System.Text.Json;
using Orders.Domain.Common;
using Orders.Domain.OrderAggregate;

namespace Orders.Domain.Tests.TestSupport;

/// <summary>
/// Everything a caller can observe of an order, as one JSON text: two orders with the same text are indistinguishable
/// through the public API. Used to compare an order with its rehydrated copy, and to prove a refused command changed
/// nothing.
/// </summary>
public static class ObservableState
{
    public static string Of(Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var state = new
        {
            order.Id,
            order.BuyerId,
            order.Type,
            order.Status,
            order.Version,
            order.Items,
            LineTotals = order.Items.Select(i => i.LineTotal).ToArray(),
            order.Pricing,
            order.ShippingAddress,
            order.ReturnWindow,
            order.CreatedAt,
            order.PaymentDueBy,
            order.SplitFrom,
            order.SplitInto,
            order.ReservationId,
            order.PaymentAuthorizationId,
            order.Payment,
            order.Shipment,
            order.Refunds,
            order.AmountPaid,
            order.AmountRefunded,
            order.RefundableAmount,
            order.ReturnWindowEndsAt,
            order.IsTerminal,
            Sellers = order.Sellers.ToArray(),
            order.History,
        };
        return JsonSerializer.Serialize(state, DomainJson.Options);
    }
}
