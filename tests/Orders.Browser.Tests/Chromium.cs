namespace Orders.Browser.Tests;

/// <summary>
/// The browser the test drives: the system's chromium (Debian's package, which test.sh installs with apt), named by
/// ORDERS_CHROMIUM or found on the usual paths. Playwright's own browser download is never used.
/// </summary>
public static class Chromium
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium"];

    public static string? Path { get; } = Find();

    /// <summary>Why the browser test cannot run here, or null when it can.</summary>
    public static string? SkipReason => Path is null
        ? "No chromium: set ORDERS_CHROMIUM or install Debian's chromium (apt-get install -y --no-install-recommends chromium; test.sh does it). In CI test.sh fails the run instead."
        : null;

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("ORDERS_CHROMIUM") is { Length: > 0 } named)
            return File.Exists(named) ? named : throw new InvalidOperationException($"ORDERS_CHROMIUM names {named}, which does not exist.");
        return Candidates.FirstOrDefault(File.Exists);
    }
}

/// <summary>A fact that is skipped, saying why, where no chromium is installed (test.sh fails such a skip in CI).</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Chromium.SkipReason is { } reason) Skip = reason;
    }
}
