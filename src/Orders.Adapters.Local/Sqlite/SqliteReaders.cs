using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Orders.Infrastructure.Sqlite;

/// <summary>
/// Read connections kept open, each with its statements prepared once. A read rents one, runs a cached command on it
/// and hands it back; a read that throws drops its connection instead (whatever state it was left in goes with it).
/// <para>
/// Before, every read opened a <see cref="SqliteConnection"/> from the driver's pool and created a command, whose
/// statement SQLite parsed and planned again each time: per read a connection object, a command, its weak reference
/// and a statement handle, all finalizable, which the GC must scan at every collection. A statement is reset when its
/// reader is disposed, so an idle connection holds no read transaction and never blocks a checkpoint.
/// </para>
/// </summary>
internal sealed class SqliteReaders(string connectionString, int maxIdle = SqliteReaders.DefaultMaxIdle) : IDisposable
{
    /// <summary>
    /// The most connections kept between reads. A burst may open more at once; those past this are closed when their
    /// read ends (each open connection keeps a page cache of up to 2 MiB).
    /// </summary>
    public const int DefaultMaxIdle = 32;

    private readonly ConcurrentBag<Reader> _idle = [];
    private int _idleCount;
    private volatile bool _disposed;

    /// <summary>Connections kept between reads now (tests).</summary>
    public int Idle => Volatile.Read(ref _idleCount);

    /// <summary>Runs <paramref name="read"/> on a rented connection.</summary>
    public async Task<T> ReadAsync<T>(Func<Reader, Task<T>> read, CancellationToken cancellationToken)
    {
        if (_idle.TryTake(out var reader)) Interlocked.Decrement(ref _idleCount);
        else
        {
            var connection = new SqliteConnection(connectionString);
            try
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            reader = new Reader(connection);
        }
        T result;
        try
        {
            result = await read(reader).ConfigureAwait(false);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
        if (_disposed || Interlocked.Increment(ref _idleCount) > maxIdle)
        {
            if (!_disposed) Interlocked.Decrement(ref _idleCount);
            reader.Dispose();
        }
        else
        {
            _idle.Add(reader);
            // Disposed meanwhile: what was just put back is closed too.
            if (_disposed) Dispose();
        }
        return result;
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var reader))
        {
            Interlocked.Decrement(ref _idleCount);
            reader.Dispose();
        }
    }

    /// <summary>An open read connection and its prepared commands, one per SQL text.</summary>
    internal sealed class Reader(SqliteConnection connection) : IDisposable
    {
        private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

        /// <summary>The command for <paramref name="sql"/>, prepared on first use, with these parameter values.</summary>
        public SqliteCommand Command(string sql, params ReadOnlySpan<(string Name, object Value)> parameters)
        {
            if (!_commands.TryGetValue(sql, out var command))
            {
                command = connection.CreateCommand();
                command.CommandText = sql;
                foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
                _commands[sql] = command;
                return command;
            }
            foreach (var (name, value) in parameters) command.Parameters[name].Value = value;
            return command;
        }

        public void Dispose()
        {
            foreach (var command in _commands.Values) command.Dispose();
            _commands.Clear();
            connection.Dispose();
        }
    }
}
