using Orders.Application.Access;
using Orders.Application.Ports.Outbound;
using Orders.Domain.Common;
using Orders.Domain.OrderAggregate;

namespace Orders.Application.UseCases.Commands;

/// <summary>
/// Splits a multi-seller order into one child per seller. The children live in their own partitions, so they are
/// written first, each atomically; the parent's SPLIT fact is written last. A crash in between leaves children whose
/// parent is still CREATED: re-running the split finds them (same deterministic ids, same content) and completes.
/// </summary>
public sealed class SplitOrder(OrderCommandRunner runner, IOrderStore store)
{
    public Task<Result<CommandReply>> ExecuteAsync(SplitOrderCommand command, RequestContext request, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        IReadOnlyList<Order> children = [];
        return runner.RunAsync(command.OrderId, OrderCommand.Split, request, command,
            (order, context) =>
            {
                var split = order.Split(context);
                if (!split.IsSuccess) return split.Rejection;
                children = split.Value!.Children;
                return null;
            },
            expectedVersion,
            beforeSave: async (_, ct) =>
            {
                foreach (var child in children)
                {
                    if (await store.SaveAsync(child, null, ct).ConfigureAwait(false) == SaveOutcome.Saved) continue;
                    var existing = await store.LoadAsync(child.Id, ct).ConfigureAwait(false);
                    if (existing?.SplitFrom != command.OrderId || !existing.Items.SequenceEqual(child.Items) || existing.Total != child.Total)
                        return ApplicationRejections.AlreadyExists(child.Id.Value);
                }
                return null;
            },
            children: order => order.SplitInto.Select(c => c.OrderId).ToArray(),
            cancellationToken: cancellationToken);
    }
}
