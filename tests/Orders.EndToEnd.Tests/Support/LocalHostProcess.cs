using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace Orders.EndToEnd.Tests.Support;

/// <summary>
/// The local host (src/Orders.LocalHost) as a user runs it: <c>dotnet Orders.LocalHost.dll --urls ... --Key=value</c>
/// in its own process, on a free loopback port, with its output captured. <see cref="StartAsync"/> returns once it
/// answers HTTP; <see cref="KillAsync"/> ends it with SIGKILL (no shutdown code runs), as does disposing it.
/// </summary>
public sealed class LocalHostProcess : IOrdersHost, IAsyncDisposable
{
    private const int MaxKeptLines = 5000;
    private static readonly ConcurrentDictionary<int, Process> Running = new();
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    static LocalHostProcess()
    {
        // If the test run ends without disposing (an aborted run), take the hosts down with it.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var process in Running.Values) TryKill(process);
        };
    }

    private LocalHostProcess(string name, Process process, ConcurrentQueue<string> output, Uri baseAddress, string dataDirectory)
    {
        Name = name;
        _process = process;
        _output = output;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Name { get; }

    public Uri BaseAddress { get; }

    public string DataDirectory { get; }

    public HttpClient Http { get; }

    public int ProcessId => _process.Id;

    public string LocalPrefix => "local/";

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the host on <paramref name="dataDirectory"/> with extra <c>--Key=value</c> settings and waits until it answers.</summary>
    public static async Task<LocalHostProcess> StartAsync(string name, string dataDirectory, IEnumerable<string> settings, TimeSpan? readyWithin = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var extra = settings.ToArray();
        var deadline = readyWithin ?? TimeSpan.FromSeconds(60);
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var host = Launch(name, dataDirectory, port, extra);
            var ready = await host.WaitUntilAnsweringAsync(deadline);
            if (ready) return host;

            var exitedEarly = host.HasExited;
            var tail = host.Tail(60);
            await host.DisposeAsync();
            // Another process may have taken the port between choosing and binding it: choose another.
            if (exitedEarly && attempt < 3 && tail.Contains("address already in use", StringComparison.OrdinalIgnoreCase)) continue;
            throw new InvalidOperationException(
                $"The local host '{name}' did not answer GET /api/openapi.yaml on port {port} within {deadline.TotalSeconds:0}s " +
                $"({(exitedEarly ? "it exited" : "still running")}). Command: {Describe(port, dataDirectory, extra)}\n--- last output ---\n{tail}");
        }
    }

    /// <summary>SIGKILL (on Linux <see cref="Process.Kill(bool)"/> sends SIGKILL): the host gets no chance to finish anything.</summary>
    public async Task KillAsync()
    {
        TryKill(_process);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        Running.TryRemove(_process.Id, out _);
    }

    /// <summary>The last <paramref name="lines"/> lines the host wrote (stdout and stderr), for assertion messages.</summary>
    public string Tail(int lines = 40)
    {
        var all = _output.ToArray();
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    /// <summary>Every kept line containing <paramref name="text"/>.</summary>
    public IReadOnlyList<string> Lines(string text) =>
        [.. _output.Where(line => line.Contains(text, StringComparison.Ordinal))];

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            TryKill(_process);
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Nothing more can be done from here; the ProcessExit handler tries again.
            }
        }
        Running.TryRemove(_process.Id, out _);
        _process.Dispose();
    }

    private static LocalHostProcess Launch(string name, string dataDirectory, int port, string[] settings)
    {
        var dll = LocalHostDll();
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = dataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in Arguments(port, dataDirectory, settings)) start.ArgumentList.Add(argument);
        // Whatever the test runner's environment says, these come from the command line only.
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("DOTNET_URLS");
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        start.Environment["DOTNET_NOLOGO"] = "1";

        var output = new ConcurrentQueue<string>();
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        void Keep(string? line)
        {
            if (line is null) return;
            output.Enqueue(line);
            while (output.Count > MaxKeptLines) output.TryDequeue(out _);
        }
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data is null ? null : "[stderr] " + e.Data);
        if (!process.Start()) throw new InvalidOperationException($"Could not start {start.FileName} {dll}.");
        Running[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new LocalHostProcess(name, process, output, new Uri($"http://127.0.0.1:{port}/"), dataDirectory);
    }

    private async Task<bool> WaitUntilAnsweringAsync(TimeSpan within)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < within)
        {
            if (_process.HasExited) return false;
            try
            {
                using var probe = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                using var response = await Http.GetAsync(new Uri("api/openapi.yaml", UriKind.Relative), probe.Token);
                if (response.StatusCode == HttpStatusCode.OK) return true;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException)
            {
                // Listening but slow to answer; ask again.
            }
            await Task.Delay(100);
        }
        return false;
    }

    private static IEnumerable<string> Arguments(int port, string dataDirectory, string[] settings) =>
        ["--urls", $"http://127.0.0.1:{port}", $"--Orders:DataDirectory={dataDirectory}", .. settings];

    private static string Describe(int port, string dataDirectory, string[] settings) =>
        $"{DotnetHost()} {LocalHostDll()} {string.Join(' ', Arguments(port, dataDirectory, settings))}";

    private static void TryKill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Already gone (or exiting).
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The dotnet host running these tests (so the same SDK's runtime runs the local host), else dotnet on PATH.</summary>
    private static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk)) return fromSdk;
        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase)) return current;
        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (!string.IsNullOrEmpty(root))
        {
            var candidate = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
            if (File.Exists(candidate)) return candidate;
        }
        return "dotnet";
    }

    /// <summary>
    /// Orders.LocalHost.dll: ORDERS_LOCALHOST_DLL if set; else the path its project gave at build time (the csproj
    /// embeds it); else src/Orders.LocalHost/bin/{this configuration}/{tfm} under the folder holding Orders.Functions.sln.
    /// </summary>
    public static string LocalHostDll()
    {
        var candidates = new List<string>();
        var overridden = Environment.GetEnvironmentVariable("ORDERS_LOCALHOST_DLL");
        if (!string.IsNullOrEmpty(overridden)) candidates.Add(overridden);
        var embedded = typeof(LocalHostProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "OrdersLocalHostDll")?.Value;
        if (!string.IsNullOrEmpty(embedded)) candidates.Add(embedded);

        // bin/<configuration>/<tfm>/ of this test assembly names the configuration and framework to look for.
        var testDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testDirectory.Name;
        var configuration = testDirectory.Parent?.Name ?? "Debug";
        for (var folder = testDirectory; folder is not null; folder = folder.Parent)
        {
            if (!File.Exists(Path.Combine(folder.FullName, "Orders.Functions.sln"))) continue;
            candidates.Add(Path.Combine(folder.FullName, "src", "Orders.LocalHost", "bin", configuration, framework, "Orders.LocalHost.dll"));
            break;
        }

        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException(
                "Orders.LocalHost.dll was not found (build src/Orders.LocalHost, or set ORDERS_LOCALHOST_DLL). Looked at: " + string.Join(", ", candidates));
    }
}
