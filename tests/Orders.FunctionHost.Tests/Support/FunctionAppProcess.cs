using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Orders.EndToEnd.Tests.Support;

namespace Orders.FunctionHost.Tests.Support;

/// <summary>
/// The function app's build output under a real Azure Functions host, in its own process tree (host and worker), on a
/// free loopback port, with its settings in the environment (as Core Tools exports local.settings.json) and its output
/// captured. <see cref="KillAsync"/> is SIGKILL for the whole tree: no shutdown code runs in the host or the worker.
/// </summary>
public sealed class FunctionAppProcess : IOrdersHost, IAsyncDisposable
{
    private const int MaxKeptLines = 200_000;

    /// <summary>A folder to keep every app's whole output in (optional).</summary>
    public const string LogsVariable = "ORDERS_FUNCTIONHOST_LOGS";
    private static readonly ConcurrentDictionary<int, Process> Running = new();
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    static FunctionAppProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var process in Running.Values) TryKill(process);
        };
    }

    private FunctionAppProcess(string name, Process process, ConcurrentQueue<string> output, int port, string dataDirectory, string stateDirectory)
    {
        Name = name;
        _process = process;
        _output = output;
        Port = port;
        DataDirectory = dataDirectory;
        StateDirectory = stateDirectory;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public string Name { get; }

    public int Port { get; }

    public HttpClient Http { get; }

    public string DataDirectory { get; }

    /// <summary>Where the host keeps its keys (secrets/host.json) and logs.</summary>
    public string StateDirectory { get; }

    public int ProcessId => _process.Id;

    public string LocalPrefix => "api/local/";

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the app with <paramref name="settings"/> (app-setting names) and waits until it answers HTTP.</summary>
    public static async Task<FunctionAppProcess> StartAsync(string name, string dataDirectory, string stateDirectory,
        IReadOnlyDictionary<string, string> settings, TimeSpan? readyWithin = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var host = FunctionHostLocator.Host ?? throw new InvalidOperationException(FunctionHostLocator.SkipReason);
        // About 8 s alone on 2 cores; several hosts starting at once on a busy machine took over 120 s here.
        var deadline = readyWithin ?? TimeSpan.FromSeconds(240);
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var app = Launch(name, host, port, dataDirectory, stateDirectory, settings);
            var ready = await app.WaitUntilAnsweringAsync(deadline);
            if (ready) return app;
            var exitedEarly = app.HasExited;
            var tail = app.Tail(80);
            await app.DisposeAsync();
            if (exitedEarly && attempt < 3 && tail.Contains("address already in use", StringComparison.OrdinalIgnoreCase)) continue;
            throw new InvalidOperationException(
                $"The function app '{name}' under {host.Kind} ({host.Path}) did not answer GET /api/openapi.yaml on port {port} within " +
                $"{deadline.TotalSeconds:0}s ({(exitedEarly ? "it exited" : "still running")}).\n--- last output ---\n{tail}");
        }
    }

    /// <summary>SIGKILL to the host and its worker (the whole process tree).</summary>
    public async Task KillAsync()
    {
        TryKill(_process);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        Running.TryRemove(_process.Id, out _);
    }

    /// <summary>
    /// Runs a non-HTTP function (a timer) now, through the host's admin API (<c>POST /admin/functions/{name}</c>, with
    /// the master key the host keeps in its state folder), as the portal's "Test/Run" does. The host answers 202 and
    /// runs it in the background.
    /// </summary>
    public async Task RunFunctionAsync(string functionName)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"admin/functions/{functionName}", UriKind.Relative))
        {
            Content = new StringContent("{\"input\":\"\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-functions-key", MasterKey());
        using var response = await Http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.Accepted)
            throw new InvalidOperationException($"POST /admin/functions/{functionName} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{Tail()}");
    }

    private string MasterKey()
    {
        var path = Path.Combine(StateDirectory, "secrets", "host.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("masterKey").GetProperty("value").GetString()
            ?? throw new InvalidOperationException($"{path} has no master key.");
    }

    public string Tail(int lines = 40)
    {
        var all = _output.ToArray();
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    /// <summary>Every kept line containing <paramref name="text"/>.</summary>
    public IReadOnlyList<string> Lines(string text) => [.. _output.Where(line => line.Contains(text, StringComparison.Ordinal))];

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
                // The ProcessExit handler tries again.
            }
        }
        Running.TryRemove(_process.Id, out _);
        _process.Dispose();
    }

    private static FunctionAppProcess Launch(string name, FunctionHostCommand host, int port, string dataDirectory, string stateDirectory,
        IReadOnlyDictionary<string, string> settings)
    {
        var app = FunctionHostLocator.FunctionAppDirectory();
        Directory.CreateDirectory(stateDirectory);
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (host.Kind == FunctionHostCommand.FuncStart)
        {
            start.FileName = host.Path;
            foreach (var argument in new[] { app, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--state", stateDirectory })
                start.ArgumentList.Add(argument);
            // func-start's host looks for its language workers beside bin/; a copy without an (empty) workers folder
            // fails every start ("Could not find a part of the path .../workers"): give it an empty one of our own.
            var hostRoot = Path.GetDirectoryName(host.Path)!;
            if (!Directory.Exists(Path.Combine(hostRoot, "workers")) && !Directory.Exists(Path.Combine(hostRoot, "bin", "workers")))
            {
                var workers = Path.Combine(stateDirectory, "workers");
                Directory.CreateDirectory(workers);
                start.Environment["languageWorkers__workersDirectory"] = workers;
            }
        }
        else
        {
            // Core Tools: `func start` in the app's output folder, without building (it is already built).
            start.FileName = host.Path;
            start.WorkingDirectory = app;
            foreach (var argument in new[] { "start", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-build" })
                start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in settings) start.Environment[key] = value;
        start.Environment["DOTNET_NOLOGO"] = "1";

        var output = new ConcurrentQueue<string>();
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        // ORDERS_FUNCTIONHOST_LOGS names a folder that keeps each app's whole output (for a failure's post-mortem).
        var logFolder = Environment.GetEnvironmentVariable(LogsVariable);
        StreamWriter? log = null;
        if (!string.IsNullOrWhiteSpace(logFolder))
        {
            Directory.CreateDirectory(logFolder);
            log = new StreamWriter(Path.Combine(logFolder, $"{name}-{DateTime.UtcNow:HHmmss}-{port}.log")) { AutoFlush = true };
        }
        void Keep(string? line)
        {
            if (line is null) return;
            output.Enqueue(line);
            while (output.Count > MaxKeptLines) output.TryDequeue(out _);
            if (log is not null)
                lock (log) log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
        }
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data is null ? null : "[stderr] " + e.Data);
        if (!process.Start()) throw new InvalidOperationException($"Could not start {start.FileName}.");
        Running[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new FunctionAppProcess(name, process, output, port, dataDirectory, stateDirectory);
    }

    private async Task<bool> WaitUntilAnsweringAsync(TimeSpan within)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < within)
        {
            if (_process.HasExited) return false;
            try
            {
                using var probe = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                using var response = await Http.GetAsync(new Uri("api/openapi.yaml", UriKind.Relative), probe.Token);
                if (response.StatusCode == HttpStatusCode.OK) return true;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException)
            {
                // Listening but slow to answer.
            }
            await Task.Delay(250);
        }
        return false;
    }

    private static void TryKill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        catch (System.ComponentModel.Win32Exception)
        {
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
}
