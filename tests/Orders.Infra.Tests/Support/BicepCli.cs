using System.Diagnostics;
using System.Reflection;

namespace Orders.Infra.Tests.Support;

/// <summary>The outcome of one Bicep CLI run.</summary>
public sealed record BicepRun(string Arguments, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Everything the run printed apart from the payload: for build --stdout that is stderr only.</summary>
    public string Diagnostics => Stderr.Trim();

    public override string ToString() => $"bicep {Arguments} -> exit {ExitCode}\n--- stderr ---\n{Stderr}\n--- stdout ---\n{(Stdout.Length > 2000 ? Stdout[..2000] + "..." : Stdout)}";
}

/// <summary>
/// Runs the Bicep CLI restored by NuGet (package Azure.Bicep.CommandLine.linux-x64, version pinned centrally); the
/// build writes the executable's path into the assembly metadata "BicepExecutable".
/// </summary>
public static class BicepCli
{
    /// <summary>Environment variables the parameter files read (readEnvironmentVariable); a deployment pipeline sets them.</summary>
    public static readonly IReadOnlyDictionary<string, string> ParameterEnvironment = new Dictionary<string, string>
    {
        ["ORDERS_AUTH_CLIENT_ID"] = "11111111-2222-3333-4444-555555555555",
        ["ORDERS_ALERT_EMAIL"] = "orders-oncall@example.com",
    };

    private static readonly Lazy<string> LazyExecutable = new(Locate);

    public static string Executable => LazyExecutable.Value;

    public static async Task<BicepRun> RunAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = RepoPaths.Infra,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No telemetry and no update checks from a test run.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var key in ParameterEnvironment.Keys)
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Executable}.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish in 3 minutes.");
        }

        return new BicepRun(string.Join(' ', arguments), process.ExitCode, await stdout, await stderr);
    }

    private static string Locate()
    {
        var path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "BicepExecutable")?.Value;
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new FileNotFoundException(
                $"The Bicep CLI from the Azure.Bicep.CommandLine.linux-x64 package was not found at '{path}'. Restore and build tests/Orders.Infra.Tests.");
        }

        // NuGet extracts files without the execute bit on some systems: add it for the owner if it is missing.
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if (!mode.HasFlag(UnixFileMode.UserExecute))
            {
                File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            }
        }

        return path;
    }
}
