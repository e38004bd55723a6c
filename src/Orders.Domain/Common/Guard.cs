namespace Orders.Domain.Common;

internal static class Guard
{
    /// <summary>
    /// Identifiers travel into Cosmos DB ids, partition keys, URLs and Service Bus session ids, so they are kept to a
    /// conservative alphabet: letters, digits, '-', '_', '.', ':' and at most 128 characters.
    /// </summary>
    public static string Identifier(string? value, string kind)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new DomainException($"{kind}.empty", $"The {kind} must not be empty.");
        if (value.Length > 128)
            throw new DomainException($"{kind}.too-long", $"The {kind} must be at most 128 characters.");
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
                throw new DomainException($"{kind}.invalid", $"The {kind} may contain only letters, digits, '-', '_', '.' and ':'.");
        }
        return value;
    }

    public static string Text(string? value, string field, int maxLength, bool allowEmpty = false)
    {
        if (value is null || (!allowEmpty && string.IsNullOrWhiteSpace(value)))
            throw new DomainException($"{field}.empty", $"{field} must not be empty.");
        if (value.Length > maxLength)
            throw new DomainException($"{field}.too-long", $"{field} must be at most {maxLength} characters.");
        if (FreeText.FirstRefused(value) is { } at)
            throw new DomainException($"{field}.invalid-characters",
                $"{field} contains {FreeText.Describe(value, at)} at position {at}: control characters, bidirectional embedding/override/isolate controls, unpaired surrogates and non-characters are refused in text.");
        return value;
    }
}
