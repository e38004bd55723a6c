using System.Text;
using System.Text.Json;

namespace Orders.EndToEnd.Tests.Support;

/// <summary>One CloudEvent line of &lt;data&gt;/published-events.jsonl.</summary>
public sealed record PublishedEvent(int Line, string Id, string OrderId, long Sequence, string Type, string? ToStatus, DateTimeOffset Time);

/// <summary>
/// The local host's outbound "topic" (one CloudEvent per line, id "{orderId}:{sequence}"). At-least-once: an id may
/// appear more than once. A line that is not a well-formed event is kept as corrupt; an unfinished last line (the
/// relay may be writing it right now) is ignored.
/// </summary>
public sealed record PublishedEventsFile(IReadOnlyList<PublishedEvent> Events, IReadOnlyList<string> CorruptLines)
{
    public const string FileName = "published-events.jsonl";

    public static PublishedEventsFile Read(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path)) return new PublishedEventsFile([], []);
        string text;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        using (var reader = new StreamReader(stream, Encoding.UTF8))
        {
            text = reader.ReadToEnd();
        }

        var lines = text.Split('\n');
        var events = new List<PublishedEvent>();
        var corrupt = new List<string>();
        // The last element is what follows the last newline: empty, or a line still being written.
        for (var i = 0; i < lines.Length - 1; i++)
        {
            var line = lines[i];
            var parsed = Parse(i + 1, line);
            if (parsed is null) corrupt.Add($"line {i + 1}: {Shorten(line)}");
            else events.Add(parsed);
        }
        return new PublishedEventsFile(events, corrupt);
    }

    public ILookup<string, PublishedEvent> ByOrder() => Events.ToLookup(e => e.OrderId, StringComparer.Ordinal);

    private static PublishedEvent? Parse(int number, string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var id = root.GetProperty("id").GetString();
            var type = root.GetProperty("type").GetString();
            var data = root.GetProperty("data");
            var orderId = data.GetProperty("orderId").GetString();
            var sequence = data.GetProperty("sequence").GetInt64();
            var to = data.TryGetProperty("toStatus", out var status) && status.ValueKind == JsonValueKind.String ? status.GetString() : null;
            var time = root.GetProperty("time").GetDateTimeOffset();
            if (id is null || type is null || orderId is null || id != $"{orderId}:{sequence}") return null;
            return new PublishedEvent(number, id, orderId, sequence, type, to, time);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (KeyNotFoundException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Shorten(string line) => line.Length <= 300 ? line : line[..300] + "…";
}
