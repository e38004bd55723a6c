using Microsoft.DurableTask.Client;

namespace Orders.Functions.Durable;

/// <summary>
/// The Durable client of the current invocation (scoped: one per function invocation).
/// <para>
/// In the isolated worker a <see cref="DurableTaskClient"/> is not a service: the host hands one to each invocation
/// through the <c>[DurableClient]</c> input binding. The use cases and the HTTP adapter reach sagas through the
/// application's ports (<c>ISagaScheduler</c>, <c>ISagaSignals</c>, <c>ISagaProgressReader</c>), which are registered
/// as <see cref="InvocationSagaClient"/> over this holder. So every function whose work may start, signal or read a
/// saga declares <c>[DurableClient] DurableTaskClient client</c> and calls <see cref="Use"/> before it calls the shared
/// handler; the ports read the client when they are called, not when they are constructed.
/// </para>
/// </summary>
public sealed class InvocationDurableClient
{
    private DurableTaskClient? _client;

    public bool HasClient => _client is not null;

    /// <summary>The client this invocation was given.</summary>
    public DurableTaskClient Client => _client ?? throw new InvalidOperationException(
        "This function invocation has no Durable client, but its work reached a saga port. Add " +
        "'[DurableClient] DurableTaskClient client' to the function and call InvocationDurableClient.Use(client) " +
        "before calling the handler.");

    public void Use(DurableTaskClient client) => _client = client ?? throw new ArgumentNullException(nameof(client));
}
