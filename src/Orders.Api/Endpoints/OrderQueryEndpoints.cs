using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Orders.Api.Http;
using Orders.Api.Problems;
using Orders.Application;
using Orders.Application.Access;
using Orders.Application.Ports.Inbound;
using Orders.Application.ReadModels;
using Orders.Application.UseCases;
using Orders.Application.Views;
using Orders.Domain.ValueObjects;
using static Orders.Api.Problems.ProblemTypes.Codes;

namespace Orders.Api.Endpoints;

/// <summary>The reading endpoints: an order, its status, buyers' and sellers' lists, a seller's dashboard.</summary>
public sealed class OrderQueryEndpoints(EndpointPipeline pipeline, TimeProvider time)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    public const int MaxContinuationTokenLength = 4096;

    /// <summary>
    /// The order from the order store (its point-read state and its stored history), never from a read model: the
    /// answer and its ETag are those of the last command, so an ETag taken from here is always usable in If-Match.
    /// </summary>
    public Task GetOrderAsync(HttpContext http) => pipeline.RunAsync(http, async caller =>
    {
        var result = await Use<GetOrder>(http).ExecuteAsync(RouteValues.Order(http), caller, http.RequestAborted);
        var view = result.IsSuccess ? result.Value! : throw ProblemException.From(result.Rejection!);
        await Replies.WriteJsonAsync(http, view, view.Version);
    });

    /// <summary>
    /// The order's history as stored, its digest and whether it verifies; with <c>sinceSequence</c> and
    /// <c>sinceHash</c> (a digest kept earlier), the consistency proof from that digest to today's head.
    /// </summary>
    public Task GetHistoryAsync(HttpContext http) => pipeline.RunAsync(http, async caller =>
    {
        var result = await Use<GetOrderHistory>(http).ExecuteAsync(RouteValues.Order(http), caller, SinceQuery(http.Request), http.RequestAborted);
        var view = result.IsSuccess ? result.Value! : throw ProblemException.From(result.Rejection!);
        await Replies.WriteJsonAsync(http, view, view.Digest.Sequence);
    });

    private static HistoryDigest? SinceQuery(HttpRequest request)
    {
        var sequence = Single(request, "sinceSequence");
        var hash = Single(request, "sinceHash");
        if (sequence is null && hash is null) return null;
        if (sequence is null || hash is null) throw Invalid("sinceSequence and sinceHash are given together (a digest kept earlier) or not at all.");
        if (!long.TryParse(sequence, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
            throw Invalid("sinceSequence must be a whole number from 1.");
        if (hash.Length != 64 || !hash.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f')))
            throw Invalid("sinceHash must be a SHA-256 hash in 64 lowercase hexadecimal digits.");
        return new HistoryDigest(number, hash);
    }

    public Task GetStatusAsync(HttpContext http) => pipeline.RunAsync(http, async caller =>
    {
        var result = await Use<IOrderStatusPort>(http).GetStatusAsync(RouteValues.Order(http), caller, http.RequestAborted);
        var status = result.IsSuccess ? result.Value! : throw ProblemException.From(result.Rejection!);
        await Replies.WriteJsonAsync(http, status, status.Version);
    });

    public Task ListBuyerOrdersAsync(HttpContext http) => pipeline.RunAsync(http, async caller =>
    {
        var buyerId = RouteValues.Buyer(http);
        Require(caller, ActorKind.Buyer, buyerId.Value, "list another buyer's orders");
        var (status, pageSize, token) = ListQuery(http.Request);
        var page = await Use<IReadModelQueries>(http).ListBuyerOrdersAsync(buyerId, status, pageSize, token, http.RequestAborted);
        await Replies.WriteJsonAsync(http, page);
    });

    public Task ListSellerOrdersAsync(HttpContext http) => pipeline.RunAsync(http, async caller =>
    {
        var sellerId = RouteValues.Seller(http);
        Require(caller, ActorKind.Seller, sellerId.Value, "list another seller's orders");
        var (status, pageSize, token) = ListQuery(http.Request);
        var page = await Use<IReadModelQueries>(http).ListSellerOrdersAsync(sellerId, status, pageSize, token, http.RequestAborted);
        await Replies.WriteJsonAsync(http, page);
    });

    public Task GetSellerDashboardAsync(HttpContext http) => pipeline.RunAsync(http, async caller =>
    {
        var sellerId = RouteValues.Seller(http);
        Require(caller, ActorKind.Seller, sellerId.Value, "see another seller's dashboard");
        // Waits and lateness are measured against now; asOf says how far the read models have followed the store.
        var now = time.GetUtcNow();
        var dashboard = await Use<IReadModelQueries>(http).GetSellerDashboardAsync(sellerId, now, http.RequestAborted);
        var projectedThrough = await Use<ReadModelPosition>(http).ProjectedThroughAsync(now, http.RequestAborted);
        await Replies.WriteJsonAsync(http, dashboard with { AsOf = projectedThrough });
    });

    /// <summary>The stuck-order list (operators): what detect-stuck and reconcile found, and the resolutions each order allows now.</summary>
    public Task ListStuckOrdersAsync(HttpContext http) => pipeline.RunAsync(http, async caller =>
    {
        var pageSize = Single(http.Request, "pageSize") is { } p
            ? int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= MaxPageSize
                ? size
                : throw Invalid($"pageSize must be an integer from 1 to {MaxPageSize}.")
            : DefaultPageSize;
        var result = await Use<Application.UseCases.Resolutions.ListStuckOrders>(http).ExecuteAsync(caller, pageSize, http.RequestAborted);
        await Replies.WriteJsonAsync(http, result.IsSuccess ? result.Value! : throw ProblemException.From(result.Rejection!));
    });

    /// <summary>The read model answers without a caller: the application's access rule is applied to the view.</summary>
    public static bool CanSee(Caller caller, OrderView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return OrderAccess.CanSee(caller, view.BuyerId, view.Items.Select(i => i.SellerId));
    }

    /// <summary>Lists are the owner's (a buyer's own, a seller's own) or any for operators.</summary>
    private static void Require(Caller caller, ActorKind owner, string ownerId, string action)
    {
        if (caller.Kind is ActorKind.Operator or ActorKind.System) return;
        if (caller.Kind == owner && caller.Id == ownerId) return;
        throw ProblemException.From(ApplicationRejections.Forbidden(action));
    }

    private static (OrderStatus? Status, int PageSize, string? Token) ListQuery(HttpRequest request)
    {
        var status = Single(request, "status") is { } s
            ? OrderStatusNames.TryParse(s, out var parsed)
                ? parsed
                : throw Invalid($"status must be one of {string.Join(", ", OrderStatusNames.All)}, spelled exactly so (the contract's OrderStatus).")
            : (OrderStatus?)null;
        var pageSize = Single(request, "pageSize") is { } p
            ? int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= MaxPageSize
                ? size
                : throw Invalid($"pageSize must be an integer from 1 to {MaxPageSize}.")
            : DefaultPageSize;
        var token = Single(request, "continuationToken");
        // Whether the store issued it, the store knows (InvalidContinuationTokenException, answered 400 like this).
        if (token is { Length: 0 or > MaxContinuationTokenLength }) throw Invalid("continuationToken is not one this API issued.");
        return (status, pageSize, token);
    }

    private static string? Single(HttpRequest request, string name)
    {
        StringValues values = request.Query[name];
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => throw Invalid($"{name} may be given once."),
        };
    }

    private static ProblemException Invalid(string detail) => new(InvalidQuery, detail);

    private static T Use<T>(HttpContext http) where T : notnull => http.RequestServices.GetRequiredService<T>();
}
