using System.Net;
using Microsoft.Azure.Cosmos;
using Orders.Application.Ports.Outbound;

namespace Orders.Infrastructure.Cosmos;

/// <summary>
/// Cosmos DB's ways of being unavailable, as the store port's one fault (<see cref="StoreUnavailableException"/>), which
/// the HTTP adapter answers 503 with Retry-After: 429 (the provisioned throughput is used up; Retry-After is the one
/// Cosmos DB gives), 503 (the service is unavailable), 408 and the SDK's own time-outs
/// (<see cref="CosmosOperationCanceledException"/> when the caller did not cancel), 410/449/500 and a broken connection
/// (<see cref="HttpRequestException"/>). Everything else (400, 404, 409, 412, a programming error) is not a fault of
/// availability and is left alone. A write that was refused by throttling did not happen; a write that timed out or
/// lost its connection may have, and the fault says so (<see cref="StoreUnavailableException.OutcomeUnknown"/>).
/// </summary>
public static class CosmosFaults
{
    public static async Task<T> GuardAsync<T>(string what, bool write, Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Translate(e, what, write) is { } fault)
        {
            throw fault;
        }
    }

    /// <summary>The fault an exception from the Cosmos SDK means, or null when it is not one of unavailability.</summary>
    public static StoreUnavailableException? Translate(Exception exception, string what, bool write) => exception switch
    {
        CosmosException cosmos => FromStatus(cosmos.StatusCode, cosmos.RetryAfter, what, write, cosmos),
        CosmosOperationCanceledException timeout => new StoreUnavailableException(StoreFault.Unavailable,
            $"Cosmos DB did not answer in time ({what}).", timeout) { OutcomeUnknown = write },
        HttpRequestException connection => new StoreUnavailableException(StoreFault.Unavailable,
            $"Cosmos DB could not be reached ({what}): {connection.Message}", connection) { OutcomeUnknown = write },
        _ => null,
    };

    /// <summary>The fault a status code answered by Cosmos DB (also a batch's or a stream's) means, or null.</summary>
    public static StoreUnavailableException? FromStatus(HttpStatusCode status, TimeSpan? retryAfter, string what, bool write, Exception? inner = null) =>
        (int)status switch
        {
            429 => new StoreUnavailableException(StoreFault.Throttled,
                $"Cosmos DB is throttling requests ({what}): the provisioned throughput is used up.", inner, retryAfter),
            503 or 408 or 410 or 449 or 500 => new StoreUnavailableException(StoreFault.Unavailable,
                $"Cosmos DB is unavailable ({what}): {(int)status} {status}.", inner, retryAfter) { OutcomeUnknown = write },
            _ => null,
        };
}
