using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orders.Domain.ValueObjects;

namespace Orders.Api.Endpoints;

/// <summary>Route values, from the host's routing or as passed to <see cref="OrdersRoute.InvokeAsync"/>.</summary>
public static class RouteValues
{
    public const string OrderId = "orderId";
    public const string BuyerId = "buyerId";
    public const string SellerId = "sellerId";
    public const string RefundId = "refundId";

    /// <summary>A route value the template guarantees; missing means the host mapped the route wrongly (a 500).</summary>
    public static string Required(HttpContext http, string name) =>
        http.GetRouteValue(name)?.ToString() is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"Route value '{name}' is missing: map the route's template, or pass the value to OrdersRoute.InvokeAsync.");

    public static OrderId Order(HttpContext http) => Domain.ValueObjects.OrderId.From(Required(http, OrderId));

    public static BuyerId Buyer(HttpContext http) => Domain.ValueObjects.BuyerId.From(Required(http, BuyerId));

    public static SellerId Seller(HttpContext http) => Domain.ValueObjects.SellerId.From(Required(http, SellerId));
}
