using System.Text.Json.Serialization;

namespace Orders.Orchestrations;

/// <summary>
/// How a saga ended (<see cref="SagaOutcome.Result"/>). Written into each finished instance's history as its output,
/// in these spellings, which are the strings earlier releases wrote: a history recorded before this type existed
/// reads the same (see <c>Histories/</c> in the orchestration tests).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<SagaResult>))]
public enum SagaResult
{
    /// <summary>The order named by the input does not exist.</summary>
    [JsonStringEnumMemberName("missing")] Missing,

    /// <summary>Nothing to do: the order was not in a state this saga acts on.</summary>
    [JsonStringEnumMemberName("skipped")] Skipped,

    [JsonStringEnumMemberName("confirmed")] Confirmed,

    /// <summary>A multi-seller order was split; each child runs its own checkout.</summary>
    [JsonStringEnumMemberName("split")] Split,

    [JsonStringEnumMemberName("cancelled")] Cancelled,

    /// <summary>Every step taken was compensated, but the order refused its cancellation (it had moved on).</summary>
    [JsonStringEnumMemberName("compensated")] Compensated,

    [JsonStringEnumMemberName("delivered")] Delivered,

    /// <summary>An answer never came or a step failed: handed to a human (an alarm was raised).</summary>
    [JsonStringEnumMemberName("escalated")] Escalated,

    /// <summary>The order refused the shipment while the parcel was prepared; the parcel was stopped.</summary>
    [JsonStringEnumMemberName("shipment-cancelled")] ShipmentCancelled,

    /// <summary>A payment captured that the cancelled order never took, given back.</summary>
    [JsonStringEnumMemberName("returned")] Returned,

    [JsonStringEnumMemberName("partially-refunded")] PartiallyRefunded,

    [JsonStringEnumMemberName("refunded-and-closed")] RefundedAndClosed,

    /// <summary>Refunded in full, but the order could not be closed (see the reason).</summary>
    [JsonStringEnumMemberName("refunded")] Refunded,
}
