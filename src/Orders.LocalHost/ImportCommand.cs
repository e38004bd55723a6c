using System.Text.Json;
using Orders.Application;
using Orders.Application.Access;
using Orders.Application.Imports;
using Orders.Application.Ports.Outbound;

namespace Orders.LocalHost;

/// <summary>
/// <c>dotnet run --project src/Orders.LocalHost -- import &lt;file|-&gt; [results-file]</c>: imports a JSON-lines file of
/// legacy orders (<c>imports/legacy-order.v1.json</c>) into the store the local host is configured with (SQLite by
/// default, or Cosmos DB), streaming: memory is bounded by one batch of lines, whatever the file's size. Each line's
/// result is written as a JSON line to the results file (default <c>&lt;file&gt;.results.jsonl</c>; none for stdin),
/// and the counts (per reason) to the console. Exit code 0 when every line was imported or already imported, 3 when
/// some were refused, 2 for bad arguments.
/// </summary>
public static class ImportCommand
{
    public const string Verb = "import";

    public static (string[] Verb, string[] Settings) SplitArguments(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0] != Verb) return ([], args);
        return ([.. args.Where(a => !a.StartsWith("--", StringComparison.Ordinal))], [.. args.Where(a => a.StartsWith("--", StringComparison.Ordinal))]);
    }

    public static async Task<int> RunAsync(string[] verb, IOrderStore store, string storeDescription, TextWriter console, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verb);
        ArgumentNullException.ThrowIfNull(console);
        if (verb.Length is < 2 or > 3)
        {
            await console.WriteLineAsync("usage: Orders.LocalHost import <file.jsonl | -> [results.jsonl] [--Orders:DataDirectory=...]");
            return 2;
        }
        var path = verb[1];
        if (path != "-" && !File.Exists(path))
        {
            await console.WriteLineAsync($"import: no file '{path}'.");
            return 2;
        }
        var resultsPath = verb.Length == 3 ? verb[2] : path == "-" ? null : path + ".results.jsonl";

        await using var input = path == "-" ? Console.OpenStandardInput()
            : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous);
        await using var results = resultsPath is null ? null : new StreamWriter(resultsPath, append: false);
        var request = new RequestContext(Caller.System("import-console"), DateTimeOffset.UtcNow, "console-import:" + Guid.NewGuid().ToString("N"));
        await console.WriteLineAsync($"import: {path} into {storeDescription}" + (resultsPath is null ? "" : $"; results in {resultsPath}"));

        var started = System.Diagnostics.Stopwatch.StartNew();
        var summary = (await new ImportLegacyOrders(store).ImportStreamAsync(input, request, async result =>
        {
            if (results is not null) await results.WriteLineAsync(JsonSerializer.Serialize(result, ApplicationJson.Options));
            if (result.Outcome == ImportOutcomes.Refused && results is null)
                await console.WriteLineAsync($"line {result.Line}: refused {result.Reason}: {result.Detail}");
        }, cancellationToken: cancellationToken)).Unwrap();

        await console.WriteLineAsync($"import: {summary} in {started.Elapsed.TotalSeconds:F1} s");
        return summary.Refused == 0 ? 0 : 3;
    }
}
