using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Orders.Domain.Common;
using Orders.Domain.ValueObjects;

namespace Orders.Domain.OrderAggregate;

/// <summary>
/// An immutable snapshot of a product as it was sold: what the catalog said at the moment of purchase, not what it
/// says now. Its <see cref="Hash"/> seals the snapshot; a snapshot whose hash does not match its content is refused.
/// </summary>
public sealed record OrderItem
{
    public const int MaxQuantity = 10_000;
    public const int MaxAttributes = 20;

    [JsonConstructor]
    public OrderItem(int line, string sku, string productId, SellerId sellerId, string title, Money unitPrice, int quantity,
        IReadOnlyDictionary<string, string>? attributes, SnapshotHash hash)
        : this(line, sku, productId, sellerId, title, unitPrice, quantity, attributes)
    {
        if (hash != Hash)
            throw new DomainException("item.snapshot-tampered", $"Line {line}: the snapshot does not match its hash.");
    }

    private OrderItem(int line, string sku, string productId, SellerId sellerId, string title, Money unitPrice, int quantity,
        IReadOnlyDictionary<string, string>? attributes)
    {
        if (line < 1) throw new DomainException("item.line-invalid", "Line numbers start at 1.");
        if (quantity is < 1 or > MaxQuantity)
            throw new DomainException("item.quantity-invalid", $"Line {line}: quantity must be between 1 and {MaxQuantity}.");
        ArgumentNullException.ThrowIfNull(sellerId);
        var attrs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in attributes ?? new Dictionary<string, string>())
            attrs[Guard.Text(key, "attribute-name", 50)] = Guard.Text(value, "attribute-value", 200, allowEmpty: true);
        if (attrs.Count > MaxAttributes)
            throw new DomainException("item.attributes-too-many", $"Line {line}: at most {MaxAttributes} attributes.");

        Line = line;
        Sku = Guard.Identifier(sku, "sku");
        ProductId = Guard.Identifier(productId, "product-id");
        SellerId = sellerId;
        Title = Guard.Text(title, "title", 200);
        UnitPrice = unitPrice;
        Quantity = quantity;
        Attributes = attrs;
        LineTotal = unitPrice.Times(quantity);
        Hash = SnapshotHash.Compute(CanonicalForm());
    }

    public int Line { get; }

    public string Sku { get; }

    public string ProductId { get; }

    public SellerId SellerId { get; }

    public string Title { get; }

    public Money UnitPrice { get; }

    public int Quantity { get; }

    public IReadOnlyDictionary<string, string> Attributes { get; }

    [JsonIgnore]
    public Money LineTotal { get; }

    public SnapshotHash Hash { get; }

    /// <summary>Takes a new snapshot; its hash is computed here.</summary>
    public static OrderItem Snapshot(int line, string sku, string productId, SellerId sellerId, string title, Money unitPrice,
        int quantity, IReadOnlyDictionary<string, string>? attributes = null) =>
        new(line, sku, productId, sellerId, title, unitPrice, quantity, attributes);

    /// <summary>The same snapshot under another line number (child orders of a split renumber their lines).</summary>
    public OrderItem Renumbered(int line) => new(line, Sku, ProductId, SellerId, Title, UnitPrice, Quantity, Attributes);

    /// <summary>
    /// Canonical form v1: compact JSON with a fixed property order, attributes sorted by ordinal key, amounts as
    /// integers of minor units. The line number is not part of it: the snapshot is of the product, not the position.
    /// Never change this method; add a v2 beside it.
    /// </summary>
    public string CanonicalForm()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("v", "orders.item-snapshot.v1");
            w.WriteString("sku", Sku);
            w.WriteString("productId", ProductId);
            w.WriteString("sellerId", SellerId.Value);
            w.WriteString("title", Title);
            w.WriteNumber("unitPriceMinor", UnitPrice.Minor);
            w.WriteString("currency", UnitPrice.Currency.Code);
            w.WriteNumber("quantity", Quantity);
            w.WriteStartObject("attributes");
            foreach (var (key, value) in Attributes) w.WriteString(key, value);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public bool Equals(OrderItem? other) => other is not null && Line == other.Line && Hash == other.Hash;

    public override int GetHashCode() => HashCode.Combine(Line, Hash);
}
