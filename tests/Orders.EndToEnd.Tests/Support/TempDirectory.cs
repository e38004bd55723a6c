namespace Orders.EndToEnd.Tests.Support;

/// <summary>A fresh folder under the system temp folder, deleted on dispose (best effort: a killed host may still hold files for a moment).</summary>
public sealed class TempDirectory : IDisposable
{
    private TempDirectory(string path) => Path = path;

    public string Path { get; }

    public static TempDirectory Create(string prefix) =>
        new(Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}")).FullName);

    public void Dispose()
    {
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            try
            {
                if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
                return;
            }
            catch (IOException) when (attempt < 5)
            {
                Thread.Sleep(200);
            }
            catch (UnauthorizedAccessException) when (attempt < 5)
            {
                Thread.Sleep(200);
            }
            catch (IOException)
            {
                return; // left for the OS to clean up; never fail a test over it
            }
            catch (UnauthorizedAccessException)
            {
                return;
            }
        }
    }
}
