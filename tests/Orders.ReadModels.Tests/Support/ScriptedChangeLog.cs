using System.Globalization;
using Orders.Application.Ports.Outbound;

namespace Orders.ReadModels.Tests.Support;

/// <summary>A change log that delivers exactly the events it is given, in that order: for deliveries a real log never makes.</summary>
public sealed class ScriptedChangeLog(IReadOnlyList<StoredEvent> events) : IOrderChangeLog
{
    private readonly Dictionary<string, int> _checkpoints = new(StringComparer.Ordinal);

    public int Commits { get; private set; }

    public Task<ChangeBatch> ReadAsync(string consumer, int maxEvents, CancellationToken cancellationToken = default)
    {
        var from = _checkpoints.GetValueOrDefault(consumer);
        var page = events.Skip(from).Take(maxEvents).ToArray();
        return Task.FromResult(new ChangeBatch(page, (from + page.Length).ToString(CultureInfo.InvariantCulture)));
    }

    public Task CommitAsync(string consumer, string checkpoint, CancellationToken cancellationToken = default)
    {
        Commits++;
        _checkpoints[consumer] = int.Parse(checkpoint, CultureInfo.InvariantCulture);
        return Task.CompletedTask;
    }

    public int CheckpointOf(string consumer) => _checkpoints.GetValueOrDefault(consumer);
}
