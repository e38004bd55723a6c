using System.Text.RegularExpressions;

namespace Orders.Infra.Tests.Docs;

/// <summary>
/// Statements the environment relies on that only a document can carry (decision 0014): what subscribers and
/// publishers must do, and what an operator must know on a first deployment. A check proves the sentence is written
/// where a reader looks for it; it cannot prove anyone follows it.
/// </summary>
public static partial class DocsChecker
{
    public sealed record Statement(string Name, string File, Regex Pattern, string Why);

    public static IReadOnlyList<Statement> Statements { get; } =
    [
        new("subscribers de-duplicate by id", "src/Orders.Contracts/events/README.md", DeduplicateById(),
            "duplicate detection drops re-sends within 10 minutes only; the relay can re-publish later"),
        new("inbound publishers set a session id", "src/Orders.Contracts/events/README.md", InboundSessionId(),
            "the orders subscription requires sessions; a message without one is dead-lettered"),
        new("a first-deployment runbook", "infra/README.md", FirstDeploymentHeading(),
            "the order of identity, roles and app, and what a 403 in the first minutes means"),
        new("a deployment replaces the app settings", "infra/README.md", SettingsReplaced(),
            "a setting added by hand disappears at the next deployment"),
        new("the decision is linked from the README", "README.md", DecisionLink(),
            "decisions are listed in the README"),
    ];

    /// <summary>The problem with <paramref name="text"/> (the content of the statement's file), or null when it is there.</summary>
    public static string? Check(Statement statement, string text)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(text);
        return statement.Pattern.IsMatch(text)
            ? null
            : $"[docs] {statement.File} does not say {statement.Name} (/{statement.Pattern}/): {statement.Why}";
    }

    [GeneratedRegex(@"Subscribers de-duplicate by the CloudEvents `id`", RegexOptions.IgnoreCase)]
    private static partial Regex DeduplicateById();

    [GeneratedRegex(@"Publishers to `order-integration-events` must set the Service Bus session id", RegexOptions.IgnoreCase)]
    private static partial Regex InboundSessionId();

    [GeneratedRegex(@"^## First deployment", RegexOptions.Multiline)]
    private static partial Regex FirstDeploymentHeading();

    [GeneratedRegex(@"a deployment replaces the app settings as a whole", RegexOptions.IgnoreCase)]
    private static partial Regex SettingsReplaced();

    [GeneratedRegex(@"\(docs/decisions/0014-[a-z0-9-]+\.md\)")]
    private static partial Regex DecisionLink();
}
