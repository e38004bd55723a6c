namespace Orders.Domain.Common;

/// <summary>
/// Thrown only for values that can never be valid (a negative amount, an unknown currency, an empty id):
/// programmer errors or unvalidated input reaching a constructor. Expected refusals are <see cref="Rejection"/>s.
/// </summary>
public class DomainException(string code, string message) : Exception(message)
{
    /// <summary>Stable, machine-readable code, e.g. <c>money.negative</c>.</summary>
    public string Code { get; } = code;
}

public sealed class CurrencyMismatchException(string left, string right)
    : DomainException("money.currency-mismatch", $"Cannot combine {left} with {right}.");

public sealed class MoneyOverflowException(string operation)
    : DomainException("money.overflow", $"The amount overflowed during {operation}.");
