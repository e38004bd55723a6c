using System.Security.Cryptography;
using System.Text;
using Orders.Application.Access;
using Orders.Domain.ValueObjects;

namespace Orders.Application.Idempotency;

/// <summary>
/// The first successful answer to an idempotent command, stored in the same transaction as the change it made.
/// <see cref="RecordId"/> is derived from the scope (caller, operation, key), so two callers can never share a key.
/// <see cref="Unchanged"/>: the command recorded nothing new (the order already said so), so a replay answers
/// <c>Order-Unchanged: true</c> as the first answer did.
/// </summary>
public sealed record IdempotencyRecord(
    OrderId OrderId,
    string RecordId,
    string RequestHash,
    string Response,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    bool Unchanged = false)
{
    public bool IsExpired(DateTimeOffset now) => now >= ExpiresAt;
}

/// <summary>Derivations from an idempotency key's scope.</summary>
public static class IdempotencyScope
{
    public const int MaxKeyLength = 255;

    /// <summary>The stored record's id for (caller, operation, key).</summary>
    public static string RecordId(Caller caller, string operation, string key) => "idem-" + Digest(caller, operation, key)[..40];

    /// <summary>
    /// A new order's id, derived from the create request's scoped key: two creates with the same key collide on the
    /// order id itself, atomically, in any store.
    /// </summary>
    public static OrderId OrderIdFor(Caller caller, string key) => OrderId.From("ord-" + Digest(caller, "create-order", key)[..26]);

    public static string HashRequest(string canonicalRequest) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)));

    public static bool IsValidKey(string? key) =>
        !string.IsNullOrWhiteSpace(key) && key.Length <= MaxKeyLength && key.All(c => c is >= '!' and <= '~');

    private static string Digest(Caller caller, string operation, string key)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{caller.Kind}\n{caller.Id}\n{operation}\n{key}"));
        return Convert.ToHexStringLower(bytes);
    }
}
