namespace Orders.EndToEnd.Tests.Support;

/// <summary>
/// A running Orders host the tests talk to over HTTP: the local host (<see cref="LocalHostProcess"/>) or the function
/// app under a Functions host (tests/Orders.FunctionHost.Tests), which share <see cref="OrdersClient"/>.
/// </summary>
public interface IOrdersHost
{
    string Name { get; }

    HttpClient Http { get; }

    /// <summary>Where the host writes published-events.jsonl.</summary>
    string DataDirectory { get; }

    int ProcessId { get; }

    /// <summary>Where the local-only routes (simulator ledger and knobs) are: <c>local/</c> or <c>api/local/</c>.</summary>
    string LocalPrefix { get; }

    string Tail(int lines = 40);
}
