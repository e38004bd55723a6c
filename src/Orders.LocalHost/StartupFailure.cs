using Microsoft.AspNetCore.Connections;
using Microsoft.Data.Sqlite;
using Orders.Application.Ports.Outbound;

namespace Orders.LocalHost;

/// <summary>
/// Start-up failures a user can fix, each said in one line (the host then exits with code 2): a data directory that
/// cannot be created or written (read-only, no permission, full, a file in the way) and a port that is taken. Any
/// other failure is a bug and keeps its stack trace.
/// </summary>
public static class StartupFailure
{
    /// <summary>Creates the data directory and proves it writable (a small file written, flushed and deleted).</summary>
    public static void RequireWritableDirectory(string directory)
    {
        Directory.CreateDirectory(directory);
        var probe = Path.Combine(directory, $".write-probe-{Environment.ProcessId}");
        using (var stream = new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
        {
            stream.WriteByte(1);
            stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>The one line for a failure the user can fix, or null for anything else.</summary>
    public static string? Describe(Exception exception, string dataDirectory, string? urls)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case AddressInUseException:
                    return $"Orders cannot start: the address {Listen(urls)} is already in use by another program ({e.Message.TrimEnd('.')}). " +
                           "Stop that program or choose another port with --urls http://127.0.0.1:<port>.";
                case Infrastructure.Durable.DurableEngineUnavailableException engine:
                    return $"Orders cannot start: {Flatten(engine.Message)}. " +
                           "Start Azurite (or check the connection string given in Orders:Durable:AzureStorage), or leave that setting out to run the in-memory engine.";
                case StoreUnavailableException unavailable:
                    return $"Orders cannot start: its data directory {dataDirectory} cannot be used ({unavailable.Message.TrimEnd('.')}). " +
                           "Choose a writable folder with --Orders:DataDirectory=<path>.";
                case SqliteException sqlite when Infrastructure.Sqlite.SqliteFaults.Classify(sqlite) is not null:
                case UnauthorizedAccessException:
                case IOException when e is not (FileNotFoundException or EndOfStreamException) && !IsBind(e):
                    return $"Orders cannot start: its data directory {dataDirectory} cannot be used ({Flatten(e.Message)}). " +
                           "Choose a writable folder with --Orders:DataDirectory=<path>.";
            }
        }
        return null;
    }

    private static bool IsBind(Exception e) => e.InnerException is AddressInUseException || e.Message.Contains("bind", StringComparison.OrdinalIgnoreCase);

    private static string Listen(string? urls) => string.IsNullOrWhiteSpace(urls) ? "(the configured URL)" : urls;

    private static string Flatten(string message) => message.ReplaceLineEndings(" ").Trim().TrimEnd('.');
}
