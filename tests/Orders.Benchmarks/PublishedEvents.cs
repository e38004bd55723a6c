using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace Orders.Benchmarks;

/// <summary>
/// Follows the local host's outbound topic (<c>published-events.jsonl</c> in its data directory: every public event as
/// a CloudEvent line, exactly what Service Bus would carry) from this process, so the load scenarios learn that an
/// order was confirmed the way another domain would, without asking the host: polling GETs (tens per checkout at 64
/// clients) would otherwise be most of the host CPU the checkout table reports.
/// </summary>
internal sealed class PublishedEvents : IAsyncDisposable
{
    private readonly string _path;
    private readonly string _type;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _seen = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _follower;

    /// <param name="dataDirectory">The host's data directory.</param>
    /// <param name="type">The CloudEvent type to wait for, e.g. <c>orders.order-confirmed.v1</c>.</param>
    public PublishedEvents(string dataDirectory, string type)
    {
        _path = Path.Combine(dataDirectory, "published-events.jsonl");
        _type = type;
        _follower = Task.Run(FollowAsync);
    }

    /// <summary>Completes when an event of the type has been published for <paramref name="orderId"/> (before or after this call).</summary>
    public Task For(string orderId) => _seen.GetOrAdd(orderId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    private async Task FollowAsync()
    {
        var pending = new StringBuilder();
        var buffer = new byte[1 << 16];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        var decoder = Encoding.UTF8.GetDecoder(); // a read may end inside a multi-byte character
        FileStream? file = null;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                if (file is null && File.Exists(_path))
                    file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
                var read = file is null ? 0 : await file.ReadAsync(buffer);
                if (read == 0)
                {
                    try { await Task.Delay(1, _stop.Token); } catch (OperationCanceledException) { }
                    continue;
                }
                pending.Append(chars, 0, decoder.GetChars(buffer, 0, read, chars, 0));
                var text = pending.ToString();
                var end = text.LastIndexOf('\n');
                if (end < 0) continue;
                pending.Clear().Append(text, end + 1, text.Length - end - 1);
                foreach (var line in text[..end].Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    // Most lines are other events: a substring test skips them without parsing (the parse decides).
                    if (!line.Contains(_type, StringComparison.Ordinal)) continue;
                    using var json = JsonDocument.Parse(line);
                    if (json.RootElement.GetProperty("type").GetString() != _type) continue;
                    var orderId = json.RootElement.GetProperty("subject").GetString()!;
                    _seen.GetOrAdd(orderId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                }
            }
        }
        finally
        {
            if (file is not null) await file.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _follower;
        _stop.Dispose();
    }
}
