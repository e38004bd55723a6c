using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace Orders.Benchmarks;

/// <summary>
/// Azurite in memory on free loopback ports, from <c>.azurite/tool</c> (where ./test.sh installs it) or
/// <c>ORDERS_AZURITE_BIN</c>; its connection string names the ports explicitly.
/// </summary>
internal sealed class AzuriteProcess : IAsyncDisposable
{
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly Process _process;

    private AzuriteProcess(Process process, string connectionString)
    {
        _process = process;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    /// <summary>Azurite's (node's) user + system CPU time so far: not the host's, but it competes for the same cores.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
        }
    }

    public static async Task<AzuriteProcess> StartAsync()
    {
        var dll = typeof(AzuriteProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "OrdersLocalHostDll").Value!;
        var root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(dll)!, "../../../../.."));
        var bin = Environment.GetEnvironmentVariable("ORDERS_AZURITE_BIN") ?? Path.Combine(root, ".azurite/tool/node_modules/.bin/azurite");
        if (!File.Exists(bin)) throw new InvalidOperationException($"Azurite not found at {bin}: run ./test.sh once (it installs it) or set ORDERS_AZURITE_BIN.");
        int blob = FreePort(), queue = FreePort(), table = FreePort();
        var start = new ProcessStartInfo(bin) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        foreach (var a in (string[])["--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1",
                     "--tableHost", "127.0.0.1", "--blobPort", $"{blob}", "--queuePort", $"{queue}", "--tablePort", $"{table}"])
            start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var connection = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};" +
                         $"BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;" +
                         $"TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, table);
                return new AzuriteProcess(process, connection);
            }
            catch (SocketException) { await Task.Delay(100); }
        }
        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException("Azurite did not start within 30 s.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
