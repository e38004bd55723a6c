using System.Text.Json.Serialization;
using Orders.Domain.Common;

namespace Orders.Domain.ValueObjects;

/// <summary>Where the order ships. The one part of an order that may change, and only before shipment.</summary>
public sealed record ShippingAddress
{
    [JsonConstructor]
    public ShippingAddress(string recipient, string line1, string? line2, string city, string postalCode, string countryCode)
    {
        Recipient = Guard.Text(recipient, "recipient", 200);
        Line1 = Guard.Text(line1, "line1", 200);
        Line2 = line2 is null ? null : Guard.Text(line2, "line2", 200, allowEmpty: true);
        City = Guard.Text(city, "city", 100);
        PostalCode = Guard.Text(postalCode, "postalCode", 20);
        if (countryCode is null || countryCode.Length != 2 || !countryCode.All(char.IsAsciiLetterUpper))
            throw new DomainException("countryCode.invalid", "countryCode must be an ISO 3166-1 alpha-2 code, e.g. 'DE'.");
        CountryCode = countryCode;
    }

    public string Recipient { get; }

    public string Line1 { get; }

    public string? Line2 { get; }

    public string City { get; }

    public string PostalCode { get; }

    public string CountryCode { get; }
}
