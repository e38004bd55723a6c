namespace Orders.Infra.Tests.Support;

/// <summary>Paths in the repository, found by walking up from the test assembly to the folder holding the solution.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string Infra => Path.Combine(Root, "infra");

    public static string MainBicep => Path.Combine(Infra, "main.bicep");

    public static string SampleSettings => Path.Combine(Root, "local.settings.sample.json");

    public static string HostJson => Path.Combine(Root, "host.json");

    /// <summary>Every .bicep and .bicepparam file under infra/, as paths relative to infra/ with '/' separators.</summary>
    public static IReadOnlyList<string> InfraSources() =>
        Directory.EnumerateFiles(Infra, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".bicep", StringComparison.Ordinal) || f.EndsWith(".bicepparam", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Infra, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Orders.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Orders.Functions.sln above {AppContext.BaseDirectory}.");
    }
}
