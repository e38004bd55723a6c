using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace Orders.Benchmarks;

/// <summary>
/// The local host as a separate process (Release build, a fresh data folder, a free loopback port), with its CPU time
/// and resident memory read from /proc, for the load scenarios. Disposing kills it.
/// </summary>
internal sealed class HostUnderLoad : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _tail = [];

    private HostUnderLoad(Process process, Uri address, string data)
    {
        _process = process;
        Address = address;
        DataDirectory = data;
    }

    public Uri Address { get; }

    public string DataDirectory { get; }

    public static async Task<HostUnderLoad> StartAsync(params string[] settings)
    {
        // ORDERS_LOCALHOST_DLL runs another build of the local host (an older commit, for a before/after comparison).
        var dll = Environment.GetEnvironmentVariable("ORDERS_LOCALHOST_DLL") is { Length: > 0 } other ? other
            : typeof(HostUnderLoad).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "OrdersLocalHostDll").Value!;
        var data = Path.Combine(Path.GetTempPath(), "orders-load-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = data, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var a in (string[])["--urls", $"http://127.0.0.1:{port}", $"--Orders:DataDirectory={data}",
                     "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Orders=Warning", .. settings])
            start.ArgumentList.Add(a);
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment["DOTNET_NOLOGO"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the local host");
        var host = new HostUnderLoad(process, new Uri($"http://127.0.0.1:{port}/"), data);
        process.OutputDataReceived += (_, e) => host.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => host.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = host.Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited) break;
            try
            {
                using var r = await http.GetAsync(new Uri("api/openapi.yaml", UriKind.Relative));
                if (r.StatusCode == HttpStatusCode.OK) return host;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        var tail = host.Tail();
        await host.DisposeAsync();
        throw new InvalidOperationException("The local host did not start:\n" + tail);
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_tail)
        {
            _tail.Add(line);
            if (_tail.Count > 200) _tail.RemoveAt(0);
        }
    }

    public string Tail()
    {
        lock (_tail) return string.Join('\n', _tail);
    }

    /// <summary>User + system CPU time the host has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
        }
    }

    /// <summary>Resident set size in MiB.</summary>
    public double RssMiB
    {
        get
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
            return double.NaN;
        }
    }

    public bool HasExited => _process.HasExited;

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
