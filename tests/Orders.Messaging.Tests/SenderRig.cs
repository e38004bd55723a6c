using Azure.Messaging.ServiceBus;
using Moq;

namespace Orders.Messaging.Tests;

/// <summary>
/// A Moq'd <see cref="ServiceBusSender"/> whose batches are real <see cref="ServiceBusMessageBatch"/> instances from
/// <see cref="ServiceBusModelFactory"/>, each backed by a list; every send records a copy of the batch's messages.
/// </summary>
public sealed class SenderRig
{
    public const long MaxBatchBytes = 262_144;

    private readonly Dictionary<ServiceBusMessageBatch, List<ServiceBusMessage>> _stores = new(ReferenceEqualityComparer.Instance);

    /// <param name="perBatch">How many messages a batch takes before TryAddMessage says no.</param>
    /// <param name="fits">Whether a message fits in a batch at all (false: too large even for an empty one).</param>
    public SenderRig(int perBatch = int.MaxValue, Func<ServiceBusMessage, bool>? fits = null)
    {
        fits ??= _ => true;
        Sender.Setup(s => s.CreateMessageBatchAsync(It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                var store = new List<ServiceBusMessage>();
                var batch = ServiceBusModelFactory.ServiceBusMessageBatch(MaxBatchBytes, store,
                    tryAddCallback: m => fits(m) && store.Count < perBatch);
                _stores[batch] = store;
                BatchesCreated++;
                return new ValueTask<ServiceBusMessageBatch>(batch);
            });
        Sender.Setup(s => s.SendMessagesAsync(It.IsAny<ServiceBusMessageBatch>(), It.IsAny<CancellationToken>()))
            .Returns((ServiceBusMessageBatch batch, CancellationToken _) =>
            {
                if (FailSends) return Task.FromException(new ServiceBusException("The namespace is busy.", ServiceBusFailureReason.ServiceBusy));
                Sent.Add([.. _stores[batch]]);
                return Task.CompletedTask;
            });
    }

    public Mock<ServiceBusSender> Sender { get; } = new();

    public bool FailSends { get; set; }

    public int BatchesCreated { get; private set; }

    /// <summary>Each sent batch's messages, in send order.</summary>
    public List<IReadOnlyList<ServiceBusMessage>> Sent { get; } = [];

    public IReadOnlyList<ServiceBusMessage> AllSent => Sent.SelectMany(b => b).ToArray();
}
