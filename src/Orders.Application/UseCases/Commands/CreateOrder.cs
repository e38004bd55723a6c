using Orders.Application.Access;
using Orders.Application.Idempotency;
using Orders.Application.Ports.Inbound;
using Orders.Application.Ports.Outbound;
using Orders.Application.Telemetry;
using Orders.Domain.Common;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;

namespace Orders.Application.UseCases.Commands;

/// <summary>
/// Creates an order. The idempotency key is required: the order's id is derived from (caller, key), so two creates
/// with one key collide on the id itself, in one transaction with the idempotency record, whatever the timing.
/// </summary>
public sealed class CreateOrder(IOrderStore store, CommandOptions options) : ICreateOrderPort
{
    private const string Operation = nameof(OrderCommand.Create);

    public Task<Result<CommandReply>> ExecuteAsync(CreateOrderCommand command, RequestContext request, CancellationToken cancellationToken = default) =>
        ExecuteAsync(command, request, beforeCreating: null, cancellationToken);

    /// <param name="beforeCreating">Runs only when the key has no answer yet, just before a new order is made: the
    /// HTTP endpoint's backpressure, which refuses (throws) new work while the saga engine is saturated. A retry of a
    /// create that was made is answered from its record whatever the load: it asks the engine for nothing.</param>
    public async Task<Result<CommandReply>> ExecuteAsync(CreateOrderCommand command, RequestContext request, Action? beforeCreating,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(request);
        if (!IdempotencyScope.IsValidKey(request.IdempotencyKey))
            return new Rejection(ApplicationRejections.Codes.KeyMissing, "Creating an order needs an Idempotency-Key of 1–255 printable ASCII characters.");
        if (!OrderAccess.MayIssue(request.Caller, OrderCommand.Create)
            || (request.Caller.Kind == ActorKind.Buyer && request.Caller.Id != command.BuyerId.Value))
            return ApplicationRejections.Forbidden("create orders for another buyer");

        var orderId = IdempotencyScope.OrderIdFor(request.Caller, request.IdempotencyKey!);
        using var activity = OrderTrace.Start("orders.command Create", orderId);
        var result = await CreateAsync(orderId, command, request, beforeCreating, cancellationToken).ConfigureAwait(false);
        CommandTelemetry.Record(activity, Operation, result);
        return result;
    }

    private async Task<Result<CommandReply>> CreateAsync(OrderId orderId, CreateOrderCommand command, RequestContext request, Action? beforeCreating,
        CancellationToken cancellationToken)
    {
        var key = request.IdempotencyKey!;
        var recordId = IdempotencyScope.RecordId(request.Caller, Operation, key);
        var requestHash = IdempotencyScope.HashRequest(Operation + "\n" + ApplicationJson.Serialize(command));

        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var existing = await store.FindIdempotencyRecordAsync(orderId, recordId, cancellationToken).ConfigureAwait(false);
            if (existing is not null && !existing.IsExpired(request.Now))
                return existing.RequestHash == requestHash
                    ? Result<CommandReply>.Ok(new CommandReply(ApplicationJson.Deserialize<CommandReceipt>(existing.Response), existing.Response, Replayed: true))
                    : ApplicationRejections.KeyReused();
            if (attempt == 2) return ApplicationRejections.AlreadyExists(orderId.Value);
            beforeCreating?.Invoke();

            var created = Order.Create(
                new NewOrder(orderId, command.BuyerId, command.Type, command.Items, command.Promotions, command.ShippingFee,
                    command.ShippingAddress, command.ReturnWindow ?? options.DefaultReturnWindow, command.PaymentWindow ?? options.DefaultPaymentWindow),
                request.ToCommandContext());
            if (!created.IsSuccess) return created.Rejection!;

            var order = created.Value!;
            var receipt = new CommandReceipt(order.Id, order.Status, order.Version, []);
            var json = ApplicationJson.Serialize(receipt);
            var record = new IdempotencyRecord(orderId, recordId, requestHash, json, request.Now, request.Now + options.IdempotencyRetention);
            var entries = order.UncommittedEntries;
            if (await store.SaveAsync(order, record, cancellationToken).ConfigureAwait(false) == SaveOutcome.Saved)
            {
                CommandTelemetry.RecordTransitions(entries);
                return Result<CommandReply>.Ok(new CommandReply(receipt, json, Replayed: false));
            }
            // The id exists: a concurrent create with the same key won (its record answers on the next pass), or the
            // key's record expired long ago and the order it made is still there.
        }
        return ApplicationRejections.AlreadyExists(orderId.Value);
    }
}
