using Microsoft.Data.Sqlite;
using Orders.Application.Ports.Outbound;

namespace Orders.Infrastructure.Sqlite;

/// <summary>
/// Translates SQLite's "the storage cannot serve you now" errors into the port's <see cref="StoreUnavailableException"/>:
/// SQLITE_FULL (disk full), SQLITE_READONLY, SQLITE_BUSY/SQLITE_LOCKED (another process holds the file beyond the busy
/// timeout), SQLITE_IOERR and SQLITE_CANTOPEN. Every other SQLite error is a bug and stays what it is.
/// </summary>
public static class SqliteFaults
{
    private const int Busy = 5, Locked = 6, ReadOnly = 8, IoError = 10, Corrupt = 11, Full = 13, CantOpen = 14, Protocol = 15;

    /// <summary>The fault a SQLite error stands for, or null when it is not a storage fault.</summary>
    public static StoreFault? Classify(SqliteException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.SqliteErrorCode switch
        {
            Full => StoreFault.Full,
            ReadOnly => StoreFault.ReadOnly,
            Busy or Locked or Protocol => StoreFault.Busy,
            IoError or CantOpen or Corrupt => StoreFault.Unavailable,
            _ => null,
        };
    }

    public static StoreUnavailableException? Translate(Exception exception, string store)
    {
        if (exception is not SqliteException sqlite || Classify(sqlite) is not { } fault) return null;
        var what = fault switch
        {
            StoreFault.Full => "its disk is full",
            StoreFault.ReadOnly => "it is read-only",
            StoreFault.Busy => "it is locked by another process",
            _ => "its storage is failing",
        };
        return new StoreUnavailableException(fault, $"The {store} cannot be used: {what} (SQLite: {sqlite.Message.Trim()})", sqlite);
    }

    public static async Task<T> GuardAsync<T>(string store, Func<Task<T>> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (SqliteException e) when (Translate(e, store) is { } unavailable)
        {
            throw unavailable;
        }
    }

    public static async Task GuardAsync(string store, Func<Task> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        try
        {
            await operation().ConfigureAwait(false);
        }
        catch (SqliteException e) when (Translate(e, store) is { } unavailable)
        {
            throw unavailable;
        }
    }

    public static T Guard<T>(string store, Func<T> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        try
        {
            return operation();
        }
        catch (SqliteException e) when (Translate(e, store) is { } unavailable)
        {
            throw unavailable;
        }
    }
}
