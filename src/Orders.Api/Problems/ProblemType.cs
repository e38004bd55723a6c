namespace Orders.Api.Problems;

/// <summary>One RFC 9457 problem type: the stable code it is named after, its HTTP status and its title.</summary>
public sealed record ProblemType(string Code, int Status, string Title)
{
    public const string BaseUri = "https://orders.example/problems/";

    /// <summary>The problem's <c>type</c> member: <c>https://orders.example/problems/{code}</c>.</summary>
    public string TypeUri => BaseUri + Code;
}
