using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Orders.Jobs.Tests.Support;

/// <summary>One structured log event as a sink (Application Insights, an alert query) receives it.</summary>
public sealed record LogEvent(LogLevel Level, string? EventName, string Message, IReadOnlyDictionary<string, object?> Properties)
{
    public string Property(string name) => Convert.ToString(Properties[name], System.Globalization.CultureInfo.InvariantCulture)!;
}

/// <summary>Collects the structured events of every logger it makes, with their named properties.</summary>
public sealed class LogSink
{
    public ConcurrentQueue<LogEvent> Events { get; } = new();

    public ILogger<T> For<T>() => new ListLogger<T>(this);

    public IReadOnlyList<LogEvent> Named(string eventName) => [.. Events.Where(e => e.EventName == eventName)];

    private sealed class ListLogger<T>(LogSink sink) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)
                : [];
            sink.Events.Enqueue(new LogEvent(logLevel, eventId.Name, formatter(state, exception), properties));
        }
    }
}
