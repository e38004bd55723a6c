namespace Orders.Api.Problems;

/// <summary>The RFC 9457 body, with the API's extensions <c>code</c> and <c>errors</c>.</summary>
public sealed record ProblemDetailsBody(
    string Type,
    string Title,
    int Status,
    string Detail,
    string Instance,
    string Code,
    IReadOnlyList<string> Errors);
