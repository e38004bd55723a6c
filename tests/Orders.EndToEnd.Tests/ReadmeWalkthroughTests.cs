using System.Diagnostics;
using System.Text.RegularExpressions;
using Orders.EndToEnd.Tests.Support;

namespace Orders.EndToEnd.Tests;

/// <summary>
/// The README's quick-start walkthrough, run as written: its two bash blocks (under "## Quick start") are taken from
/// README.md itself, pointed at a local host started on a free port (the only change: the address), and run with bash
/// and curl. If the README drifts from what the service does, this fails.
/// </summary>
public sealed partial class ReadmeWalkthroughTests
{
    private static readonly TimeSpan ScriptDeadline = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task The_README_quick_start_runs_as_written_against_the_local_host()
    {
        var blocks = QuickStartBlocks(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "README.md")));
        Assert.True(blocks.Count == 2, $"expected the walkthrough and the refund/cancel/split blocks, found {blocks.Count}");

        using var data = TempDirectory.Create("orders-e2e-readme");
        // The host as `dotnet run --project src/Orders.LocalHost` starts it: embedded defaults (simulators answer after
        // half a second), only the data directory and the port differ.
        await using var host = await LocalHostProcess.StartAsync("readme-host", data.Path, []);
        var address = host.Http.BaseAddress!.ToString().TrimEnd('/');
        var script = "set -eu\n" + string.Join("\n", blocks).Replace("http://localhost:7071", address, StringComparison.Ordinal);

        var (exit, stdout, stderr) = await RunBashAsync(script);
        var context = $"exit {exit}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}\n--- host ---\n{host.Tail(40)}";
        Assert.True(exit == 0, context);
        Assert.DoesNotContain("did not reach", stderr, StringComparison.Ordinal);

        // 1. create: 201 with the receipt, the replay answers the same.
        Assert.Contains("HTTP/1.1 201 Created", stdout, StringComparison.Ordinal);
        // 3. the operator's close with the ETag from GET: the receipt says CLOSED (no spurious 412).
        Assert.Matches(ReceiptIn("CLOSED"), stdout);
        Assert.DoesNotContain("order.version-mismatch", stdout, StringComparison.Ordinal);
        // 5. the history as stored, intact.
        Assert.Contains("\"chain\":\"orders.history.v2\"", stdout, StringComparison.Ordinal);
        Assert.Contains("\"intact\":true", stdout, StringComparison.Ordinal);
        // refund: the refund is accepted, and the order ends CLOSED after REFUNDED.
        Assert.Contains("\"refundId\"", stdout, StringComparison.Ordinal);
        // cancel: the receipt says CANCELLED.
        Assert.Matches(ReceiptIn("CANCELLED"), stdout);
        // split: the parent is SPLIT and seller-a's child order exists, split from it.
        Assert.Matches(OrderIn("SPLIT"), stdout);
        Assert.Contains("\"splitFrom\":\"", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\"code\":\"", stdout, StringComparison.Ordinal); // no problem answer anywhere
    }

    /// <summary>The ```bash blocks between "## Quick start" and the next heading.</summary>
    private static List<string> QuickStartBlocks(string readme)
    {
        var start = readme.IndexOf("\n## Quick start", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no '## Quick start' section");
        // The next heading of level 2 or 3 (### Run the real function app … follows); "# " lines are bash comments.
        var ends = new[] { readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal), readme.IndexOf("\n### ", start + 1, StringComparison.Ordinal) }
            .Where(i => i > 0).ToArray();
        var end = ends.Length == 0 ? -1 : ends.Min();
        var section = readme[start..(end < 0 ? readme.Length : end)];
        return [.. BashBlock().Matches(section).Select(m => m.Groups[1].Value)];
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunBashAsync(string script)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(script);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(ScriptDeadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The README walkthrough did not finish within {ScriptDeadline}:\n{await stdout}\n{await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Orders.Functions.sln"))) return dir.FullName;
        throw new InvalidOperationException("The repository root (Orders.Functions.sln) was not found above " + AppContext.BaseDirectory);
    }

    private static Regex ReceiptIn(string status) => new($@"^\{{""orderId"":""[^""]+"",""status"":""{status}"",""version"":\d+", RegexOptions.Multiline);

    private static Regex OrderIn(string status) => new($@"^\{{""orderId"":""[^""]+"",""version"":\d+,""status"":""{status}""", RegexOptions.Multiline);

    [GeneratedRegex(@"```bash\n([\s\S]*?)```")]
    private static partial Regex BashBlock();
}
