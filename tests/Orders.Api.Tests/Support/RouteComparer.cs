namespace Orders.Api.Tests.Support;

/// <summary>Compares two sets of (METHOD, /path/{template}) routes: what each side has that the other lacks.</summary>
public static class RouteComparer
{
    public sealed record Differences(IReadOnlyList<string> MissingFromDocument, IReadOnlyList<string> MissingFromCode)
    {
        public bool None => MissingFromDocument.Count == 0 && MissingFromCode.Count == 0;

        public override string ToString() =>
            $"In the route table but not the document: [{string.Join(", ", MissingFromDocument)}]; " +
            $"in the document but not the route table: [{string.Join(", ", MissingFromCode)}]";
    }

    public static Differences Compare(IEnumerable<(string Method, string Path)> code, IEnumerable<(string Method, string Path)> document)
    {
        var left = code.Select(Key).ToHashSet(StringComparer.Ordinal);
        var right = document.Select(Key).ToHashSet(StringComparer.Ordinal);
        return new Differences([.. left.Except(right).Order(StringComparer.Ordinal)], [.. right.Except(left).Order(StringComparer.Ordinal)]);
    }

    private static string Key((string Method, string Path) route) => route.Method.ToUpperInvariant() + " " + route.Path;
}
