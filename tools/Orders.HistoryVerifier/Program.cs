using Orders.HistoryVerifier;

// orders-history-verify <history.json | URL> [--since SEQUENCE:HASH] [--header "Name: value"]...
// Exit codes: 0 intact (or the proof holds), 1 broken, 2 usage or fetch error.
string? source = null;
Digest? since = null;
var headers = new List<(string Name, string Value)>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--since" when i + 1 < args.Length:
            try
            {
                since = Digest.Parse(args[++i]);
            }
            catch (FormatException e)
            {
                return Usage(e.Message);
            }
            break;
        case "--header" when i + 1 < args.Length && args[i + 1].IndexOf(':', StringComparison.Ordinal) > 0:
            var header = args[++i];
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            headers.Add((header[..colon].Trim(), header[(colon + 1)..].Trim()));
            break;
        case var a when source is null && !a.StartsWith("--", StringComparison.Ordinal):
            source = a;
            break;
        default:
            return Usage($"unexpected argument '{args[i]}'");
    }
}
if (source is null) return Usage("no history given");

string json;
try
{
    if (Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
    {
        if (since is not null)
            uri = new Uri(uri + (uri.Query.Length == 0 ? "?" : "&") + $"sinceSequence={since.Sequence}&sinceHash={Uri.EscapeDataString(since.Hash)}");
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        using var response = await http.SendAsync(request);
        json = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            Console.WriteLine($"BROKEN: the service answered {(int)response.StatusCode}: {json}");
            return 1;
        }
    }
    else
    {
        json = await File.ReadAllTextAsync(source);
    }
}
catch (Exception e) when (e is IOException or HttpRequestException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"cannot read {source}: {e.Message}");
    return 2;
}

var verdict = HistoryChain.Verify(json, since);
Console.WriteLine(verdict);
return verdict.Intact ? 0 : 1;

static int Usage(string problem)
{
    Console.Error.WriteLine($"{problem}\nusage: Orders.HistoryVerifier <history.json | URL of GET /api/orders/{{id}}/history> [--since SEQUENCE:HASH] [--header \"Name: value\"]...");
    return 2;
}
