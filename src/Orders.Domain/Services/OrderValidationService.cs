using System.Globalization;
using Orders.Domain.Common;
using Orders.Domain.OrderAggregate;

namespace Orders.Domain.Services;

/// <summary>
/// Cross-field rules for a new order (single values are already valid by construction). The limits keep every
/// order, with its first event and its idempotency record, inside one Cosmos DB transactional batch (2 MB, 100
/// operations) with a wide margin: see src/Orders.Domain/README.md.
/// </summary>
public static class OrderValidationService
{
    public const int MaxLines = 100;
    public const int MaxPromotions = 10;
    public const int MaxSnapshotBytes = 256 * 1024;
    public static readonly TimeSpan MaxReturnWindow = TimeSpan.FromDays(365);
    public static readonly TimeSpan MaxPaymentWindow = TimeSpan.FromDays(7);

    public static Rejection? Validate(NewOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var errors = new List<string>();
        if (order.Items is null || order.Items.Count == 0) errors.Add("items: an order needs at least one item.");
        else
        {
            if (order.Items.Count > MaxLines) errors.Add($"items: at most {MaxLines} lines.");
            var currency = order.Items[0].UnitPrice.Currency;
            if (order.Items.Any(i => i.UnitPrice.Currency != currency))
                errors.Add("items: all items must be priced in one currency.");
            if (order.ShippingFee.Currency != currency)
                errors.Add($"shippingFee: must be in the items' currency {currency.Code}.");
            for (var i = 0; i < order.Items.Count; i++)
                if (order.Items[i].Line != i + 1) errors.Add($"items[{i}]: lines must be numbered 1..n in order.");
            var duplicates = order.Items.GroupBy(i => i.Sku, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key);
            foreach (var sku in duplicates) errors.Add($"items: sku '{sku}' appears more than once; use the quantity.");
            var bytes = order.Items.Sum(i => (long)i.CanonicalForm().Length);
            if (bytes > MaxSnapshotBytes) errors.Add($"items: the snapshots are {bytes} bytes; at most {MaxSnapshotBytes}.");
            if (order.Promotions.Any(p => p.SellerId is { } s && order.Items.All(i => i.SellerId != s)))
                errors.Add("promotions: a seller-scoped promotion names a seller with no items in the order.");
        }
        if (order.Promotions.Count > MaxPromotions) errors.Add($"promotions: at most {MaxPromotions}.");
        if (order.Promotions.Select(p => p.Code).Distinct(StringComparer.Ordinal).Count() != order.Promotions.Count)
            errors.Add("promotions: each code may be applied once.");
        if (order.ReturnWindow < TimeSpan.Zero || order.ReturnWindow > MaxReturnWindow)
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"returnWindow: between 0 and {MaxReturnWindow.TotalDays} days."));
        if (order.PaymentWindow <= TimeSpan.Zero || order.PaymentWindow > MaxPaymentWindow)
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"paymentWindow: more than 0 and at most {MaxPaymentWindow.TotalDays} days."));

        if (errors.Count == 0)
        {
            try
            {
                OrderPricingService.Price(order.Items!, order.Promotions, order.ShippingFee);
            }
            catch (DomainException e)
            {
                errors.Add($"pricing: {e.Message}");
            }
        }

        return errors.Count == 0 ? null : OrderRejections.Invalid(errors);
    }
}
