using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Orders.Api.Endpoints;
using Orders.Domain.ValueObjects;

namespace Orders.Api;

/// <summary>
/// The route table both hosts serve: the local host maps every route with <see cref="MapOrdersHttpApi"/>; each Azure
/// Function declares <c>[HttpTrigger(..., Route = OrdersHttpApi.Paths.X)]</c> and calls
/// <c>OrdersHttpApi.Route(OrdersHttpApi.Names.X).InvokeAsync(req.HttpContext, routeValues)</c>. Contract tests
/// prove this table and src/Orders.Contracts/apis/orders.v1.yaml list the same routes.
/// </summary>
public static class OrdersHttpApi
{
    /// <summary>The prefix of every route (host.json's <c>extensions.http.routePrefix</c> in the function app).</summary>
    public const string RoutePrefix = "api";

    /// <summary>Route paths relative to <see cref="RoutePrefix"/>: constants, so Function attributes can use them.</summary>
    public static class Paths
    {
        public const string Orders = "orders";
        public const string Order = "orders/{orderId}";
        public const string OrderStatus = "orders/{orderId}/status";
        public const string OrderHistory = "orders/{orderId}/history";
        public const string Cancel = "orders/{orderId}/cancel";
        public const string Split = "orders/{orderId}/split";
        public const string Refunds = "orders/{orderId}/refunds";
        public const string Close = "orders/{orderId}/close";
        public const string ShippingAddress = "orders/{orderId}/shipping-address";
        public const string Confirm = "orders/{orderId}/confirm";
        public const string MarkPaid = "orders/{orderId}/mark-paid";
        public const string Ship = "orders/{orderId}/ship";
        public const string Deliver = "orders/{orderId}/deliver";
        public const string CashCollected = "orders/{orderId}/cash-collected";
        public const string CompleteRefund = "orders/{orderId}/refunds/{refundId}/complete";
        public const string BuyerOrders = "buyers/{buyerId}/orders";
        public const string SellerOrders = "sellers/{sellerId}/orders";
        public const string SellerDashboard = "sellers/{sellerId}/dashboard";
        public const string LegacyOrderImports = "imports/legacy-orders";
        public const string RetrySaga = "orders/{orderId}/resolutions/retry-saga";
        public const string ResolveLostParcel = "orders/{orderId}/resolutions/lost-parcel";
        public const string CancelStuckCheckout = "orders/{orderId}/resolutions/cancel-checkout";
        public const string AcknowledgeStuck = "orders/{orderId}/resolutions/acknowledge";
        public const string ReturnLateCapture = "orders/{orderId}/resolutions/return-late-capture";
        public const string RetryRefund = "orders/{orderId}/refunds/{refundId}/retry";
        public const string SettleRefund = "orders/{orderId}/refunds/{refundId}/settle";
        public const string StuckOrders = "operations/stuck-orders";
    }

    /// <summary>Route names, equal to the OpenAPI operationIds (and good Function names).</summary>
    public static class Names
    {
        public const string CreateOrder = nameof(CreateOrder);
        public const string GetOrder = nameof(GetOrder);
        public const string GetOrderStatus = nameof(GetOrderStatus);
        public const string GetOrderHistory = nameof(GetOrderHistory);
        public const string CancelOrder = nameof(CancelOrder);
        public const string SplitOrder = nameof(SplitOrder);
        public const string InitiateRefund = nameof(InitiateRefund);
        public const string CloseOrder = nameof(CloseOrder);
        public const string ChangeShippingAddress = nameof(ChangeShippingAddress);
        public const string ChangeShippingAddressPost = nameof(ChangeShippingAddressPost);
        public const string ConfirmOrder = nameof(ConfirmOrder);
        public const string MarkOrderPaid = nameof(MarkOrderPaid);
        public const string RecordShipment = nameof(RecordShipment);
        public const string RecordDelivery = nameof(RecordDelivery);
        public const string RecordCashCollected = nameof(RecordCashCollected);
        public const string RecordRefund = nameof(RecordRefund);
        public const string ListBuyerOrders = nameof(ListBuyerOrders);
        public const string ListSellerOrders = nameof(ListSellerOrders);
        public const string GetSellerDashboard = nameof(GetSellerDashboard);
        public const string ImportLegacyOrders = nameof(ImportLegacyOrders);
        public const string RetrySaga = nameof(RetrySaga);
        public const string ResolveLostParcel = nameof(ResolveLostParcel);
        public const string CancelStuckCheckout = nameof(CancelStuckCheckout);
        public const string AcknowledgeStuck = nameof(AcknowledgeStuck);
        public const string ReturnLateCapture = nameof(ReturnLateCapture);
        public const string RetryRefund = nameof(RetryRefund);
        public const string SettleRefund = nameof(SettleRefund);
        public const string ListStuckOrders = nameof(ListStuckOrders);
    }

    public static IReadOnlyList<OrdersRoute> Routes { get; } =
    [
        new(Names.CreateOrder, HttpMethods.Post, Paths.Orders, http => Commands(http).CreateAsync(http)),
        new(Names.GetOrder, HttpMethods.Get, Paths.Order, http => Queries(http).GetOrderAsync(http)),
        new(Names.GetOrderStatus, HttpMethods.Get, Paths.OrderStatus, http => Queries(http).GetStatusAsync(http)),
        new(Names.GetOrderHistory, HttpMethods.Get, Paths.OrderHistory, http => Queries(http).GetHistoryAsync(http)),
        new(Names.CancelOrder, HttpMethods.Post, Paths.Cancel, http => Commands(http).CancelAsync(http)),
        new(Names.SplitOrder, HttpMethods.Post, Paths.Split, http => Commands(http).SplitAsync(http)),
        new(Names.InitiateRefund, HttpMethods.Post, Paths.Refunds, http => Commands(http).InitiateRefundAsync(http)),
        new(Names.CloseOrder, HttpMethods.Post, Paths.Close, http => Commands(http).CloseAsync(http)),
        new(Names.ChangeShippingAddress, HttpMethods.Put, Paths.ShippingAddress, http => Commands(http).ChangeShippingAddressAsync(http)),
        new(Names.ChangeShippingAddressPost, HttpMethods.Post, Paths.ShippingAddress, http => Commands(http).ChangeShippingAddressAsync(http)),
        new(Names.ConfirmOrder, HttpMethods.Post, Paths.Confirm, http => Commands(http).ConfirmAsync(http)),
        new(Names.MarkOrderPaid, HttpMethods.Post, Paths.MarkPaid, http => Commands(http).MarkPaidAsync(http)),
        new(Names.RecordShipment, HttpMethods.Post, Paths.Ship, http => Commands(http).ShipAsync(http)),
        new(Names.RecordDelivery, HttpMethods.Post, Paths.Deliver, http => Commands(http).DeliverAsync(http)),
        new(Names.RecordCashCollected, HttpMethods.Post, Paths.CashCollected, http => Commands(http).CashCollectedAsync(http)),
        new(Names.RecordRefund, HttpMethods.Post, Paths.CompleteRefund, http => Commands(http).CompleteRefundAsync(http)),
        new(Names.ListBuyerOrders, HttpMethods.Get, Paths.BuyerOrders, http => Queries(http).ListBuyerOrdersAsync(http)),
        new(Names.ListSellerOrders, HttpMethods.Get, Paths.SellerOrders, http => Queries(http).ListSellerOrdersAsync(http)),
        new(Names.GetSellerDashboard, HttpMethods.Get, Paths.SellerDashboard, http => Queries(http).GetSellerDashboardAsync(http)),
        new(Names.ImportLegacyOrders, HttpMethods.Post, Paths.LegacyOrderImports, http => http.RequestServices.GetRequiredService<ImportEndpoints>().ImportLegacyOrdersAsync(http)),
        new(Names.RetrySaga, HttpMethods.Post, Paths.RetrySaga, http => Commands(http).RetrySagaAsync(http)),
        new(Names.ResolveLostParcel, HttpMethods.Post, Paths.ResolveLostParcel, http => Commands(http).ResolveLostParcelAsync(http)),
        new(Names.CancelStuckCheckout, HttpMethods.Post, Paths.CancelStuckCheckout, http => Commands(http).CancelStuckCheckoutAsync(http)),
        new(Names.AcknowledgeStuck, HttpMethods.Post, Paths.AcknowledgeStuck, http => Commands(http).AcknowledgeStuckAsync(http)),
        new(Names.ReturnLateCapture, HttpMethods.Post, Paths.ReturnLateCapture, http => Commands(http).ReturnLateCaptureAsync(http)),
        new(Names.RetryRefund, HttpMethods.Post, Paths.RetryRefund, http => Commands(http).RetryRefundAsync(http)),
        new(Names.SettleRefund, HttpMethods.Post, Paths.SettleRefund, http => Commands(http).SettleRefundAsync(http)),
        new(Names.ListStuckOrders, HttpMethods.Get, Paths.StuckOrders, http => Queries(http).ListStuckOrdersAsync(http)),
    ];

    /// <summary>The route of a name in <see cref="Names"/>.</summary>
    public static OrdersRoute Route(string name) =>
        Routes.FirstOrDefault(r => r.Name == name) ?? throw new ArgumentException($"No route is named '{name}'.", nameof(name));

    /// <summary>An order's URL, for Location headers.</summary>
    public static string OrderLocation(OrderId orderId)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        return "/" + RoutePrefix + "/" + Paths.Order.Replace("{orderId}", Uri.EscapeDataString(orderId.Value), StringComparison.Ordinal);
    }

    /// <summary>Maps every route (the local host, and tests). Returns the builders, e.g. to require authorisation.</summary>
    public static IReadOnlyList<IEndpointConventionBuilder> MapOrdersHttpApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return [.. Routes.Select(route =>
            endpoints.MapMethods(route.Template, [route.Method], new RequestDelegate(route.Handler)).WithName(route.Name))];
    }

    private static OrderCommandEndpoints Commands(HttpContext http) => http.RequestServices.GetRequiredService<OrderCommandEndpoints>();

    private static OrderQueryEndpoints Queries(HttpContext http) => http.RequestServices.GetRequiredService<OrderQueryEndpoints>();
}
