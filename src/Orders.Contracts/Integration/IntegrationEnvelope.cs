using System.Text.Json;

namespace Orders.Contracts.Integration;

/// <summary>
/// A CloudEvents 1.0 envelope (structured JSON mode) as it crosses Service Bus, in or out. <see cref="Subject"/> is
/// the order id; <see cref="Data"/> is the event's payload, described by its JSON Schema in <c>events/</c>.
/// </summary>
public sealed record CloudEvent(
    string Id,
    string Source,
    string Type,
    string Subject,
    DateTimeOffset Time,
    JsonElement Data,
    string SpecVersion = "1.0",
    string DataContentType = "application/json",
    string? DataSchema = null);

/// <summary>Money in contracts: integer minor units and an ISO 4217 code, never a float.</summary>
public sealed record MoneyAmount(long Minor, string Currency);
