using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Orders.Domain.Common;
using Orders.Domain.ValueObjects;

namespace Orders.Application.ReadModels;

/// <summary>
/// Where a list item sits in a newest-first list: created at descending, then order id ascending (ordinal), which is
/// unique per list, so keyset pagination never skips or repeats an item.
/// </summary>
public readonly record struct ListKey(long CreatedAtUtcTicks, string OrderId)
{
    public static ListKey Of(OrderListItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new(item.CreatedAt.UtcTicks, item.OrderId.Value);
    }

    /// <summary>Negative when <paramref name="a"/> is listed before <paramref name="b"/>.</summary>
    public static int Compare(ListKey a, ListKey b)
    {
        var byTime = b.CreatedAtUtcTicks.CompareTo(a.CreatedAtUtcTicks);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.OrderId, b.OrderId);
    }
}

/// <summary>
/// The rules both stores page by: a page size of 1 to <see cref="MaxPageSize"/>, and an opaque continuation token
/// (base64url of a versioned form of the last item's <see cref="ListKey"/>) that resumes right after that item.
/// Invalid input is the caller's: an <see cref="ArgumentOutOfRangeException"/> for the page size and an
/// <see cref="InvalidContinuationTokenException"/> for a token, which an HTTP adapter answers with 400.
/// </summary>
public static class ReadModelPaging
{
    public const int MaxPageSize = 100;

    private const string Version = "v1";

    public static void ValidatePageSize(int pageSize)
    {
        if (pageSize is < 1 or > MaxPageSize)
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, $"A page holds 1 to {MaxPageSize} items.");
    }

    public static string Encode(ListKey key) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{Version}|{key.CreatedAtUtcTicks}|{key.OrderId}")));

    /// <summary>The key a token resumes after, or null for the first page.</summary>
    public static ListKey? Decode(string? continuationToken) =>
        continuationToken is null ? null
        : TryDecode(continuationToken, out var key) ? key
        : throw new InvalidContinuationTokenException();

    /// <summary>Whether the token is one this service issued (checked before any store is asked).</summary>
    public static bool TryDecode(string continuationToken, out ListKey key)
    {
        ArgumentNullException.ThrowIfNull(continuationToken);
        key = default;
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(continuationToken)).Split('|', 3);
            if (parts.Length == 3 && parts[0] == Version
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks <= DateTimeOffset.MaxValue.UtcTicks)
            {
                key = new ListKey(ticks, OrderId.From(parts[2]).Value);
                return true;
            }
        }
        catch (Exception e) when (e is FormatException or DomainException or ArgumentException)
        {
            // not ours
        }
        return false;
    }

    /// <summary>A page from up to <c>pageSize + 1</c> items in list order: the extra one only says that more follow.</summary>
    public static Page<OrderListItem> PageOf(IReadOnlyList<OrderListItem> itemsPlusOne, int pageSize)
    {
        ArgumentNullException.ThrowIfNull(itemsPlusOne);
        if (itemsPlusOne.Count <= pageSize) return new Page<OrderListItem>(itemsPlusOne, null);
        var items = itemsPlusOne.Take(pageSize).ToArray();
        return new Page<OrderListItem>(items, Encode(ListKey.Of(items[^1])));
    }
}
