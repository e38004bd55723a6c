namespace Orders.Application.Ports.Outbound;

/// <summary>
/// Asks the promotions domain to redeem the codes an order was priced with (at checkout, before any money is asked
/// for) and to release them when the order does not go through. Prices never depend on its answer: the discount was
/// granted as data in the create command and frozen into the order's price then. A refused redemption cancels the
/// order (with compensation); it is never re-priced.
/// </summary>
public interface IPromotionsPort
{
    Task RedeemAsync(RedeemPromotions request, CancellationToken cancellationToken = default);

    Task ReleaseAsync(ReleasePromotions request, CancellationToken cancellationToken = default);
}
