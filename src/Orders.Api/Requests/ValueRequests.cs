using Orders.Domain.ValueObjects;

namespace Orders.Api.Requests;

// Request records hold primitives: the strict reader checks the shape, then the domain's constructors check the
// values (and throw DomainException with a code, which the pipeline answers with 400).

/// <summary>Money on the wire: <c>{"minor":1999,"currency":"USD"}</c>.</summary>
public sealed record MoneyRequest(long Minor, string Currency)
{
    public Money ToMoney() => Money.Of(Minor, Domain.ValueObjects.Currency.Of(Currency));
}

public sealed record ShippingAddressRequest(string Recipient, string Line1, string City, string PostalCode, string CountryCode, string? Line2 = null)
{
    public ShippingAddress ToAddress() => new(Recipient, Line1, Line2, City, PostalCode, CountryCode);
}

/// <summary>A request without members: an empty body or <c>{}</c>.</summary>
public sealed record EmptyRequest;
