using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Orders.Infra.Tests.Support;

namespace Orders.Infra.Tests;

[Collection(BicepCollection.Name)]
public sealed partial class BicepLintTests(BicepFixture bicep)
{
    public static TheoryData<string> Sources() => new(RepoPaths.InfraSources());

    [Fact]
    public void Infra_holds_main_the_modules_and_both_parameter_files()
    {
        var expected = new[]
        {
            "main.bicep",
            "modules/alerts.bicep",
            "modules/cosmos.bicep",
            "modules/diagnostics.bicep",
            "modules/functionapp.bicep",
            "modules/monitoring.bicep",
            "modules/roles.bicep",
            "modules/servicebus.bicep",
            "modules/storage.bicep",
            "parameters/dev.bicepparam",
            "parameters/prod.bicepparam",
        };
        Assert.Subset(RepoPaths.InfraSources().ToHashSet(), expected.ToHashSet());
        Assert.Equal(RepoPaths.InfraSources().Count, bicep.Lints.Count);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Every_bicep_file_lints_without_any_diagnostic(string file)
    {
        var run = bicep.Lints[file];
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(run.Stdout.Trim().Length == 0 && run.Stderr.Trim().Length == 0, $"bicep lint reported diagnostics:\n{run}");
    }

    [Fact]
    public void The_linter_config_turns_every_rule_on_at_warning_or_error()
    {
        var config = JsonNode.Parse(
            File.ReadAllText(Path.Combine(RepoPaths.Infra, "bicepconfig.json")),
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!;
        Assert.True(config["analyzers"]?["core"]?["enabled"]?.GetValue<bool>(), "analyzers.core.enabled must be true");
        var rules = config["analyzers"]!["core"]!["rules"]!.AsObject();

        var weak = rules.Where(r => r.Value?["level"]?.GetValue<string>() is not ("warning" or "error")).Select(r => r.Key).ToList();
        Assert.True(weak.Count == 0, "rules below 'warning': " + string.Join(", ", weak));

        // Rules that are off by default in Bicep 0.49 and must be switched on here (a sample; every rule is listed).
        string[] offByDefault =
        [
            "use-recent-api-versions", "use-resource-id-functions", "use-user-defined-types", "what-if-short-circuiting",
            "no-hardcoded-location", "no-loc-expr-outside-params", "explicit-values-for-loc-params", "use-description-params",
            "use-description-outputs", "use-description-vars", "stacks-extensibility-compat",
        ];
        Assert.Subset(rules.Select(r => r.Key).ToHashSet(), offByDefault.ToHashSet());
    }

    [Fact]
    public void Every_muted_rule_is_justified_by_a_comment_right_above()
    {
        var unjustified = new List<string>();
        foreach (var file in RepoPaths.InfraSources())
        {
            var lines = File.ReadAllLines(Path.Combine(RepoPaths.Infra, file));
            for (var i = 0; i < lines.Length; i++)
            {
                if (!DisableDirective().IsMatch(lines[i]))
                {
                    continue;
                }

                var above = lines.Take(i).Reverse().Take(3).ToList();
                if (!above.Any(l => l.TrimStart().StartsWith("//", StringComparison.Ordinal)))
                {
                    unjustified.Add($"{file}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

        Assert.True(unjustified.Count == 0, "muted without a reason:\n" + string.Join("\n", unjustified));
    }

    [Fact]
    public async Task The_lint_check_fails_on_a_file_that_breaks_the_rules()
    {
        // Proves the check above can fail: same config, a file with an unused parameter and an undescribed output.
        var dir = Directory.CreateTempSubdirectory("orders-infra-lint-");
        try
        {
            File.Copy(Path.Combine(RepoPaths.Infra, "bicepconfig.json"), Path.Combine(dir.FullName, "bicepconfig.json"));
            var file = Path.Combine(dir.FullName, "bad.bicep");
            await File.WriteAllTextAsync(file, "param unused string\noutput answer int = 42\n");

            var run = await BicepCli.RunAsync(["lint", file]);

            var output = run.Stdout + run.Stderr;
            Assert.Contains("no-unused-params", output, StringComparison.Ordinal);
            Assert.Contains("use-description-outputs", output, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@"#disable-(next-line|diagnostics)\b")]
    private static partial Regex DisableDirective();
}
