using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Xunit.Abstractions;

namespace Orders.Architecture.Tests;

/// <summary>
/// Only production code ships to Azure (issue 15, decision 0024): the function app's publish output
/// (<c>dotnet publish -c Release</c>, into a temporary folder) holds no test-only assembly — no test host, no mocking
/// or testing library, no in-memory double — neither as a file nor as a library its deps.json names. The publish uses
/// the build's output (<c>--no-build</c>): the solution is built before tests run, and a publish that rebuilt would
/// write into bin/Release while the function-host tests run the app from there. Its content is what a publish after a
/// build produces.
/// </summary>
public sealed class PublishedFunctionAppTests(PublishedFunctionApp app, ITestOutputHelper output) : IClassFixture<PublishedFunctionApp>
{
    /// <summary>
    /// Assemblies that must never reach Azure: an entry matches an assembly of that name or any name under it
    /// (<c>xunit</c> matches <c>xunit.core</c>).
    /// </summary>
    public static readonly string[] TestOnly =
    [
        "Microsoft.DurableTask.InProcessTestHost", // the preview in-process engine the local host runs on
        "Orders.Adapters.LocalEngine", // the local host's engine over it
        "Orders.Testing", // the in-memory doubles
        "Moq", "Castle.Core", "xunit", "CsCheck", "Microsoft.Extensions.TimeProvider.Testing",
        "Microsoft.NET.Test.Sdk", "Microsoft.TestPlatform", "Microsoft.VisualStudio.TestPlatform", "testhost",
    ];

    [Fact]
    public void The_published_function_app_holds_no_test_only_assembly()
    {
        var found = TestOnlyIn(app.Folder);
        Assert.True(found.Count == 0, $"The function app's publish output ({app.Folder}) holds test-only assemblies: {string.Join(", ", found)}");
    }

    [Fact]
    public void The_publish_output_is_the_function_app()
    {
        // Guards the check above against passing on a wrong or empty folder.
        Assert.True(File.Exists(Path.Combine(app.Folder, "Orders.Functions.dll")), "Orders.Functions.dll is not in the publish output");
        Assert.True(File.Exists(Path.Combine(app.Folder, "functions.metadata")), "functions.metadata is not in the publish output");
        Assert.True(File.Exists(Path.Combine(app.Folder, "Orders.Adapters.Azure.dll")), "the Azure adapters are not in the publish output");
        Assert.Contains(DepsLibraries(app.Folder), name => name == "Orders.Adapters.Azure");
    }

    [Fact]
    public void The_publish_size_and_what_the_local_only_adapters_cost()
    {
        var files = Directory.EnumerateFiles(app.Folder, "*", SearchOption.AllDirectories).Select(f => new FileInfo(f)).ToList();
        var total = files.Sum(f => f.Length);
        var local = files.Where(f => IsLocalOnly(Path.GetRelativePath(app.Folder, f.FullName))).ToList();
        var localBytes = local.Sum(f => f.Length);
        output.WriteLine($"function app publish output: {files.Count} files, {Mb(total)} MB");
        output.WriteLine($"of which local-only adapters (Orders.Adapters.Local, Microsoft.Data.Sqlite, SQLitePCLRaw, native e_sqlite3 for every runtime): {local.Count} files, {Mb(localBytes)} MB");
        Assert.True(total > 0);
        // The local-only adapters ship on purpose (decision 0024): the function app runs on them off Azure.
        Assert.Contains(local, f => f.Name == "Orders.Adapters.Local.dll");
    }

    [Fact]
    public void The_check_finds_test_only_assemblies_where_there_are_some()
    {
        // This test project's own output: xunit, and (through the local host) the local engine and its test host.
        var found = TestOnlyIn(AppContext.BaseDirectory);
        Assert.Contains("xunit.core", found);
        Assert.Contains("Microsoft.DurableTask.InProcessTestHost", found);
        Assert.Contains("Orders.Adapters.LocalEngine", found);
    }

    [Fact]
    public void The_check_reads_deps_json_too()
    {
        var folder = Directory.CreateTempSubdirectory("orders-arch-deps-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "App.deps.json"),
                """{"libraries":{"Moq/4.21.0":{"type":"package"},"Orders.Domain/1.0.0":{"type":"project"},"xunit.core/2.9.3":{"type":"package"}}}""");
            Assert.Equal(["Moq", "xunit.core"], TestOnlyIn(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("Moq/4.21.0", true)] // Moq's proxy generator: test-only
    [InlineData("Microsoft.Azure.DurableTask.Core/3.11.2", false)] // the Durable Task framework's: ships
    public void Castle_core_counts_as_test_only_where_a_test_library_brought_it(string dependent, bool flagged)
    {
        var folder = Directory.CreateTempSubdirectory("orders-arch-castle-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "App.deps.json"),
                """{"targets":{".NETCoreApp,Version=v10.0":{"DEPENDENT":{"dependencies":{"Castle.Core":"5.1.1"}},"Castle.Core/5.1.1":{}}},"libraries":{"DEPENDENT":{"type":"package"},"Castle.Core/5.1.1":{"type":"package"}}}"""
                    .Replace("DEPENDENT", dependent, StringComparison.Ordinal));
            Assert.Equal(flagged, TestOnlyIn(folder).Contains("Castle.Core"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Libraries a test library depends on that production packages depend on too: test-only only where a test-only
    /// library brought them. Castle.Core is Moq's proxy generator, and also Microsoft.Azure.DurableTask.Core's (the
    /// Durable Task framework the sagas reference uses it at run time), so in the function app it ships for the latter.
    /// </summary>
    public static readonly string[] SharedWithProduction = ["Castle.Core"];

    /// <summary>
    /// Test-only assembly names in <paramref name="folder"/>: its dll files (any depth) and the libraries its deps.json
    /// files name. A <see cref="SharedWithProduction"/> library counts unless every library that depends on it (per
    /// deps.json) is production code.
    /// </summary>
    public static List<string> TestOnlyIn(string folder)
    {
        var dependents = Dependents(folder);
        var names = Directory.EnumerateFiles(folder, "*.dll", SearchOption.AllDirectories).Select(Path.GetFileNameWithoutExtension)
            .Concat(DepsLibraries(folder));
        return [.. names.OfType<string>().Where(IsTestOnly).Distinct(StringComparer.OrdinalIgnoreCase)
            .Where(name => !OnlyProductionNeedsIt(name, dependents)).Order(StringComparer.OrdinalIgnoreCase)];
    }

    public static bool IsTestOnly(string name) =>
        TestOnly.Concat(SharedWithProduction).Any(t => name.Equals(t, StringComparison.OrdinalIgnoreCase) || name.StartsWith(t + ".", StringComparison.OrdinalIgnoreCase));

    private static bool OnlyProductionNeedsIt(string name, Dictionary<string, HashSet<string>> dependents) =>
        SharedWithProduction.Contains(name, StringComparer.OrdinalIgnoreCase)
        && dependents.TryGetValue(name, out var by) && by.Count > 0 && !by.Any(IsTestOnly);

    private static IEnumerable<string> DepsLibraries(string folder)
    {
        foreach (var deps in Directory.EnumerateFiles(folder, "*.deps.json", SearchOption.TopDirectoryOnly))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(deps));
            if (!document.RootElement.TryGetProperty("libraries", out var libraries)) continue;
            foreach (var library in libraries.EnumerateObject()) yield return library.Name.Split('/')[0];
        }
    }

    /// <summary>For each library the deps.json files name as a dependency, the libraries that depend on it.</summary>
    private static Dictionary<string, HashSet<string>> Dependents(string folder)
    {
        var dependents = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var deps in Directory.EnumerateFiles(folder, "*.deps.json", SearchOption.TopDirectoryOnly))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(deps));
            if (!document.RootElement.TryGetProperty("targets", out var targets)) continue;
            foreach (var target in targets.EnumerateObject())
            {
                foreach (var library in target.Value.EnumerateObject())
                {
                    if (!library.Value.TryGetProperty("dependencies", out var on)) continue;
                    foreach (var dependency in on.EnumerateObject())
                    {
                        if (!dependents.TryGetValue(dependency.Name, out var by)) dependents[dependency.Name] = by = new(StringComparer.OrdinalIgnoreCase);
                        by.Add(library.Name.Split('/')[0]);
                    }
                }
            }
        }

        return dependents;
    }

    private static bool IsLocalOnly(string relativePath)
    {
        var name = Path.GetFileName(relativePath);
        return name.StartsWith("Orders.Adapters.Local.", StringComparison.Ordinal) || name.StartsWith("Microsoft.Data.Sqlite", StringComparison.Ordinal)
            || name.StartsWith("SQLitePCLRaw", StringComparison.Ordinal) || name.Contains("e_sqlite3", StringComparison.Ordinal);
    }

    private static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The function app published once (<c>dotnet publish -c Release --no-build</c>) into a temporary folder, deleted afterwards.</summary>
public sealed class PublishedFunctionApp : IDisposable
{
    public PublishedFunctionApp()
    {
        var root = RepoRoot();
        var project = Path.Combine(root, "functions", "Orders.Functions", "Orders.Functions.csproj");
        var configuration = typeof(PublishedFunctionApp).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        Folder = Directory.CreateTempSubdirectory("orders-functions-publish-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "publish", project, "-c", configuration, "--no-build", "-o", Folder, "-nologo", "-nodeReuse:false" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        // The test host's own MSBuild settings must not leak into the publish.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet publish.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet publish of the function app did not finish in 5 minutes.");
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"dotnet publish {project} -c {configuration} --no-build failed (exit {process.ExitCode}); build the solution in {configuration} first.\n" +
                stdout.Result + stderr.Result);
        }
    }

    public string Folder { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is no test failure.
        }
    }

    private static string RepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Orders.Functions.sln"))) return directory.FullName;
        }

        throw new DirectoryNotFoundException($"No Orders.Functions.sln above {AppContext.BaseDirectory}.");
    }
}
