using Orders.Application.Access;
using Orders.Application.Idempotency;
using Orders.Application.Ports.Outbound;
using Orders.Application.Telemetry;
using Orders.Domain.Common;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;

namespace Orders.Application.UseCases;

/// <summary>
/// The one way a command reaches an existing order: authorise, load, answer a replayed idempotency key, apply, save
/// with the idempotency record in the same transaction, and on a concurrency conflict reload and re-apply (the
/// domain re-checks every rule against the fresh state, so re-applying is safe). With an expected version (If-Match)
/// a conflict is the caller's to resolve and is not retried.
/// </summary>
public sealed class OrderCommandRunner(IOrderStore store, CommandOptions options)
{
    public delegate Rejection? Apply(Order order, CommandContext context);

    /// <summary>Runs after a successful apply and before the save: for a command that writes other orders first.</summary>
    public delegate Task<Rejection?> BeforeSave(Order order, CancellationToken cancellationToken);

    public async Task<Result<CommandReply>> RunAsync(
        OrderId orderId,
        OrderCommand command,
        RequestContext request,
        object canonicalRequest,
        Apply apply,
        long? expectedVersion = null,
        BeforeSave? beforeSave = null,
        Func<Order, IReadOnlyList<OrderId>>? children = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        using var activity = OrderTrace.Start($"orders.command {command}", orderId);
        var result = await RunCoreAsync(orderId, command, request, canonicalRequest, apply, expectedVersion, beforeSave, children, cancellationToken)
            .ConfigureAwait(false);
        CommandTelemetry.Record(activity, command.ToString(), result);
        return result;
    }

    private async Task<Result<CommandReply>> RunCoreAsync(
        OrderId orderId,
        OrderCommand command,
        RequestContext request,
        object canonicalRequest,
        Apply apply,
        long? expectedVersion = null,
        BeforeSave? beforeSave = null,
        Func<Order, IReadOnlyList<OrderId>>? children = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(apply);
        if (!OrderAccess.MayIssue(request.Caller, command))
            return ApplicationRejections.Forbidden($"{command} orders as a {request.Caller.Kind}");

        var operation = command.ToString();
        var requestHash = IdempotencyScope.HashRequest(operation + "\n" + orderId.Value + "\n" + ApplicationJson.Serialize(canonicalRequest));
        var recordId = request.IdempotencyKey is { } key ? IdempotencyScope.RecordId(request.Caller, operation, key) : null;

        for (var attempt = 1; attempt <= options.MaxAttempts; attempt++)
        {
            Order? order;
            try
            {
                order = await store.LoadAsync(orderId, cancellationToken).ConfigureAwait(false);
            }
            catch (OrderHistoryUnreadableException unreadable)
            {
                return ApplicationRejections.HistoryBroken(orderId.Value, unreadable.PublicProblem);
            }
            if (order is null || !OrderAccess.CanSee(request.Caller, order)) return ApplicationRejections.NotFound(orderId.Value);
            if (order.VerifyHistory() is { IsIntact: false } broken)
                return ApplicationRejections.HistoryBroken(orderId.Value, $"at sequence {broken.BrokenAtSequence}: {broken.Problem}");

            if (recordId is not null)
            {
                var existing = await store.FindIdempotencyRecordAsync(orderId, recordId, cancellationToken).ConfigureAwait(false);
                if (existing is not null && !existing.IsExpired(request.Now))
                    return existing.RequestHash == requestHash
                        ? Result<CommandReply>.Ok(new CommandReply(ApplicationJson.Deserialize<CommandReceipt>(existing.Response), existing.Response, Replayed: true,
                            existing.Unchanged))
                        : ApplicationRejections.KeyReused();
            }

            if (expectedVersion is { } expected && expected != order.Version)
                return ApplicationRejections.VersionMismatch(orderId.Value, expected, order.Version);

            if (apply(order, request.ToCommandContext()) is { } rejection) return rejection;

            var receipt = new CommandReceipt(order.Id, order.Status, order.Version, children?.Invoke(order) ?? []);
            var json = ApplicationJson.Serialize(receipt);
            // An exact repetition recorded nothing: without a key to remember there is nothing to write.
            var unchanged = order.UncommittedEntries.Count == 0;
            var record = recordId is null ? null
                : new IdempotencyRecord(orderId, recordId, requestHash, json, request.Now, request.Now + options.IdempotencyRetention, unchanged);
            if (unchanged && record is null)
                return Result<CommandReply>.Ok(new CommandReply(receipt, json, Replayed: false, Unchanged: true));

            if (beforeSave is not null && await beforeSave(order, cancellationToken).ConfigureAwait(false) is { } refused)
                return refused;

            var entries = order.UncommittedEntries;
            if (await store.SaveAsync(order, record, cancellationToken).ConfigureAwait(false) == SaveOutcome.Saved)
            {
                CommandTelemetry.RecordTransitions(entries);
                return Result<CommandReply>.Ok(new CommandReply(receipt, json, Replayed: false, unchanged));
            }

            // Conflict: someone else wrote first. The next attempt sees their write: a replay of the same key, a
            // version that no longer matches the caller's If-Match, or fresh state to re-apply the command to.
        }
        return ApplicationRejections.ConcurrencyConflict(orderId.Value);
    }
}
