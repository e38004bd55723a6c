using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Orders.EndToEnd.Tests.Support;

namespace Orders.EndToEnd.Tests;

/// <summary>
/// Start-up failures a user can fix stop the local host with exit code 2 and one clear line on stderr — never a stack
/// trace: a port another program holds, a data directory that cannot be written, a task hub in Azure Storage that cannot be reached.
/// </summary>
public sealed class StartupFailureTests
{
    [Fact]
    public async Task ATakenPort_StopsTheHost_WithOneLineAndExitCode2()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        using var data = TempDirectory.Create("orders-port");

        var (exitCode, stderr, stdout) = await RunAsync(data.Path, "--urls", $"http://127.0.0.1:{port}", $"--Orders:DataDirectory={data.Path}");

        Assert.True(exitCode == 2, $"exit code {exitCode}\n{stderr}\n{stdout}");
        AssertOneLineWithoutStackTrace(stderr, stdout);
        Assert.Contains($"http://127.0.0.1:{port} is already in use", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableTaskHub_StopsTheHost_WithOneLineAndExitCode2()
    {
        // The Durable engine on Azure Storage whose account does not answer (nothing listens on the port): the storage
        // client retries for about half a minute, then the host must say so in one line, not a stack trace.
        using var data = TempDirectory.Create("orders-hub");
        int closed;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            closed = ((IPEndPoint)probe.LocalEndpoint).Port; // free once the probe stops: nothing listens there
        }
        var connection = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
            "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
            $"BlobEndpoint=http://127.0.0.1:{closed}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{closed}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{closed}/devstoreaccount1;";
        var (exitCode, stderr, stdout) = await RunAsync(data.Path, "--urls", "http://127.0.0.1:0", $"--Orders:DataDirectory={data.Path}",
            $"--Orders:Durable:AzureStorage={connection}");

        Assert.True(exitCode == 2, $"exit code {exitCode}\n{stderr}\n{stdout}");
        AssertOneLineWithoutStackTrace(stderr, stdout);
        Assert.Contains("could not create or open its task hub", stderr, StringComparison.Ordinal);
        Assert.Contains("Start Azurite", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADataDirectoryBehindAFile_StopsTheHost_WithOneLineAndExitCode2()
    {
        using var data = TempDirectory.Create("orders-file");
        var file = Path.Combine(data.Path, "not-a-folder");
        await File.WriteAllTextAsync(file, "x");
        var wanted = Path.Combine(file, ".orders");

        var (exitCode, stderr, stdout) = await RunAsync(data.Path, "--urls", "http://127.0.0.1:0", $"--Orders:DataDirectory={wanted}");

        Assert.True(exitCode == 2, $"exit code {exitCode}\n{stderr}\n{stdout}");
        AssertOneLineWithoutStackTrace(stderr, stdout);
        Assert.Contains($"its data directory {wanted} cannot be used", stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// A read-only directory: as root (who may write anywhere a permission allows) a read-only tmpfs mount, otherwise
    /// a folder without write permission. Either way the file system refuses the host's writes.
    /// </summary>
    [Fact]
    public async Task AReadOnlyDataDirectory_StopsTheHost_WithOneLineAndExitCode2()
    {
        using var data = TempDirectory.Create("orders-ro");
        var readOnly = Path.Combine(data.Path, "ro");
        Directory.CreateDirectory(readOnly);
        var mounted = false;
        try
        {
            if (Environment.UserName == "root")
            {
                Assert.True(await ShellAsync("mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", readOnly) == 0, "mount -t tmpfs -o ro failed");
                mounted = true;
            }
            else if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(readOnly, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            }

            var (exitCode, stderr, stdout) = await RunAsync(data.Path, "--urls", "http://127.0.0.1:0", $"--Orders:DataDirectory={readOnly}");

            Assert.True(exitCode == 2, $"exit code {exitCode}\n{stderr}\n{stdout}");
            AssertOneLineWithoutStackTrace(stderr, stdout);
            Assert.Contains($"its data directory {readOnly} cannot be used", stderr, StringComparison.Ordinal);
        }
        finally
        {
            if (mounted) await ShellAsync("umount", readOnly);
            else if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(readOnly, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static void AssertOneLineWithoutStackTrace(string stderr, string stdout)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got {lines.Length}:\n{stderr}");
        Assert.StartsWith("Orders cannot start: ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr + stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stdout, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Stderr, string Stdout)> RunAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(LocalHostProcess.LocalHostDll());
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment.Remove("ASPNETCORE_URLS");
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await errors, await output);
    }

    private static async Task<int> ShellAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        return process.ExitCode;
    }
}
