using Orders.EndToEnd.Tests.Support;
using Orders.FunctionHost.Tests.Support;

namespace Orders.FunctionHost.Tests;

/// <summary>One function app under the Functions host for the journeys (started only when a host is found).</summary>
public sealed class FunctionAppHostFixture : IAsyncLifetime
{
    public static readonly TimeSpan PaymentTimeout = TimeSpan.FromSeconds(5);

    private TempDirectory? _folder;

    public FunctionAppProcess? App { get; private set; }

    public OrdersClient Api => new(App ?? throw new InvalidOperationException("The function app was not started: " + FunctionHostLocator.SkipReason));

    public async Task InitializeAsync()
    {
        if (FunctionHostLocator.SkipReason is not null) return; // every test here is skipped, saying why
        _folder = TempDirectory.Create("orders-functionhost-journeys");
        var data = Path.Combine(_folder.Path, "data");
        App = await FunctionAppProcess.StartAsync("function-app-journeys", data, Path.Combine(_folder.Path, "host-state"),
            FunctionAppSettingsFor.Local(data, FunctionAppSettingsFor.NewTaskHub("Journeys"), PaymentTimeout));
    }

    public async Task DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
        App = null;
        _folder?.Dispose();
    }
}
