using System.Diagnostics;
using System.Text.Json;
using Orders.EndToEnd.Tests.Support;
using Orders.LegacyFiles;

namespace Orders.EndToEnd.Tests;

/// <summary>The local host's <c>import</c> verb, run as operators run it: a separate process over a generated file.</summary>
public sealed class ImportConsoleTests
{
    private static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        start.ArgumentList.Add(LocalHostProcess.LocalHostDll());
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await output + await errors);
    }

    [Fact]
    public async Task TheImportVerb_AnswersEveryLineAsTheGeneratorExpects_ThenAnswersAlreadyImported()
    {
        using var folder = TempDirectory.Create("orders-import-e2e");
        var file = Path.Combine(folder.Path, "legacy.jsonl");
        var lines = new List<GeneratedLine>();
        await using (var output = File.Create(file))
            LegacyFileGenerator.Write(output, new LegacyFileGenerator(9, new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero)).Lines(300, brokenShare: 0.2), lines.Add);
        var data = "--Orders:DataDirectory=" + Path.Combine(folder.Path, "data");

        var (firstExit, firstOutput) = await RunAsync(folder.Path, "import", file, data);
        var first = (await File.ReadAllLinesAsync(file + ".results.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        var (secondExit, _) = await RunAsync(folder.Path, "import", file, Path.Combine(folder.Path, "again.jsonl"), data);
        var second = (await File.ReadAllLinesAsync(Path.Combine(folder.Path, "again.jsonl"))).Select(l => JsonDocument.Parse(l).RootElement).ToArray();

        Assert.True(firstExit == 3, firstOutput); // some lines were refused
        Assert.Equal(lines.Count, first.Length);
        for (var i = 0; i < lines.Count; i++)
        {
            Assert.Equal(lines[i].ExpectedOutcome, first[i].GetProperty("outcome").GetString());
            Assert.Equal(lines[i].ExpectedReason, first[i].TryGetProperty("reason", out var reason) ? reason.GetString() : null);
        }
        Assert.Contains($"{lines.Count(l => l.ExpectedOutcome == "imported")} imported", firstOutput, StringComparison.Ordinal);
        Assert.Equal(3, secondExit);
        Assert.All(second.Where((_, i) => lines[i].ExpectedOutcome != "refused"), r => Assert.Equal("already-imported", r.GetProperty("outcome").GetString()));
    }

    [Fact]
    public async Task TheImportVerb_WithoutAFile_ExitsWith2()
    {
        using var folder = TempDirectory.Create("orders-import-e2e");

        var (exit, output) = await RunAsync(folder.Path, "import", Path.Combine(folder.Path, "missing.jsonl"), "--Orders:DataDirectory=" + Path.Combine(folder.Path, "data"));

        Assert.Equal(2, exit);
        Assert.Contains("no file", output, StringComparison.Ordinal);
    }
}
