using Orders.EndToEnd.Tests.Support;

namespace Orders.EndToEnd.Tests;

/// <summary>
/// One local host for the journeys: simulators answer after 100 ms, a payment that never answers times out after
/// 3 s (so a held checkout compensates within the test), reconcile restarts missing sagas at once when asked, and
/// no job runs on its own schedule (only when a test asks for it).
/// </summary>
public sealed class JourneyHost : IAsyncLifetime
{
    public static readonly TimeSpan PaymentTimeout = TimeSpan.FromSeconds(3);

    /// <summary>A cron occurrence (midnight, 1 January) that no test run reaches.</summary>
    public const string Never = "0 0 0 1 1 *";

    private TempDirectory? _data;
    private LocalHostProcess? _host;

    public OrdersClient Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _data = TempDirectory.Create("orders-e2e-journeys");
        try
        {
            _host = await LocalHostProcess.StartAsync("journeys-host", _data.Path,
            [
                "--Simulators:AnswerDelay=00:00:00.100",
                $"--Sagas:PaymentTimeout={PaymentTimeout:c}",
                "--Jobs:SettleTime=00:00:00",
                $"--Jobs:AutoCancelUnpaid:Schedule={Never}",
                $"--Jobs:DetectStuck:Schedule={Never}",
                $"--Jobs:Reconcile:Schedule={Never}",
                $"--Jobs:AutoClose:Schedule={Never}",
            ]);
            Api = new OrdersClient(_host);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        _host = null;
        _data?.Dispose();
        _data = null;
    }
}
