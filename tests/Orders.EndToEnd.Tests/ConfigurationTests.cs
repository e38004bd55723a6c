using System.Diagnostics;
using Orders.EndToEnd.Tests.Support;

namespace Orders.EndToEnd.Tests;

/// <summary>A bad configuration stops the local host at once, with a message naming every bad setting and exit code 2.</summary>
public sealed class ConfigurationTests
{
    [Fact]
    public async Task BadSettings_StopTheHost_WithExitCode2_AndNameEachOne()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in new[]
                 {
                     LocalHostProcess.LocalHostDll(), "--urls", "http://127.0.0.1:0",
                     "--Jobs:Reconcile:Schedule=every hour", "--Simulators:AnswerDelay=soon", "--Simulators:FailAll:0=Meteorite",
                     "--Orders:Store=Cosmos", "--CosmosDb:Endpoint=localhost:8081",
                 })
            start.ArgumentList.Add(argument);

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        var message = await errors + await output;

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("Jobs:Reconcile:Schedule 'every hour' is not a valid cron expression", message, StringComparison.Ordinal);
        Assert.Contains("Simulators:AnswerDelay: 'soon'", message, StringComparison.Ordinal);
        Assert.Contains("Simulators:FailAll: 'Meteorite'", message, StringComparison.Ordinal);
        Assert.Contains("CosmosDb:Endpoint must be the account's https URI", message, StringComparison.Ordinal);
    }
}
