using System.Text.RegularExpressions;
using Orders.Infra.Tests.Support;

namespace Orders.Infra.Tests.Docs;

/// <summary>The statements of decision 0014 are written down, and each check reports a copy without its statement.</summary>
public sealed class DocsTests
{
    public static TheoryData<string> StatementNames() => new(DocsChecker.Statements.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(StatementNames))]
    public void The_statement_is_written_where_a_reader_looks(string name)
    {
        var statement = DocsChecker.Statements.Single(s => s.Name == name);

        Assert.Null(DocsChecker.Check(statement, Read(statement.File)));
    }

    [Theory]
    [MemberData(nameof(StatementNames))]
    public void A_copy_without_the_statement_is_reported(string name)
    {
        var statement = DocsChecker.Statements.Single(s => s.Name == name);
        var without = statement.Pattern.Replace(Read(statement.File), "");

        var problem = DocsChecker.Check(statement, without);

        Assert.NotNull(problem);
        Assert.Contains(statement.File, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_linked_decision_record_exists()
    {
        var link = Regex.Match(Read("README.md"), @"\((docs/decisions/0014-[a-z0-9-]+\.md)\)");

        Assert.True(link.Success, "README.md links no decision 0014");
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, link.Groups[1].Value)), $"{link.Groups[1].Value} does not exist");
    }

    private static string Read(string relativePath) => File.ReadAllText(Path.Combine(RepoPaths.Root, relativePath));
}
