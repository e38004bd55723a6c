namespace Orders.Domain.Common;

/// <summary>
/// An expected refusal of a command, with a stable code (for example <c>order.not-paid</c>). A rejected command
/// changes nothing. The API maps each code to one RFC 9457 problem type.
/// </summary>
public sealed record Rejection(string Code, string Message)
{
    /// <summary>Field-level problems, for validation rejections.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    public override string ToString() => $"{Code}: {Message}";
}
