using Microsoft.Data.Sqlite;

namespace Orders.ReadModels.Tests.Support;

/// <summary>A folder under the system temp directory, removed with everything in it.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "orders-readmodel-tests", Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a file still open elsewhere: the OS temp cleaner will have it */ }
    }
}
