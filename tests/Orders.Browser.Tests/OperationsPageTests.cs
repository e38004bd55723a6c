using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Orders.EndToEnd.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using static Orders.EndToEnd.Tests.Support.OrderRequests;

namespace Orders.Browser.Tests;

/// <summary>
/// The operations page in a real browser (Debian's chromium, driven by Playwright) against a local host started here:
/// the seller's dashboard, an order followed to its timeline, a lost parcel resolved from the stuck list. Everything
/// the page shows is checked against what the API answers. Screenshots are written to <see cref="Artifacts"/>.
/// </summary>
public sealed class OperationsPageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(40);
    private const string Seller = "seller-ops";
    private const string Buyer = "buyer-ops";

    private TempDirectory? _data;
    private LocalHostProcess? _host;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>Where screenshots go: ORDERS_BROWSER_ARTIFACTS (test.sh sets it), else beside the test assembly.</summary>
    public static string Artifacts { get; } = Environment.GetEnvironmentVariable("ORDERS_BROWSER_ARTIFACTS") is { Length: > 0 } dir
        ? dir : Path.Combine(AppContext.BaseDirectory, "browser-artifacts");

    private OrdersClient Api => new(_host!);

    [BrowserFact]
    public async Task The_dashboard_an_order_timeline_and_a_lost_parcel_resolved_from_the_stuck_list_show_what_the_API_says()
    {
        Directory.CreateDirectory(Artifacts);
        var api = Api;

        // Two orders of one seller: one delivered, one whose parcel the carrier loses (the saga escalates it).
        var delivered = await api.CreateOrderAsync(Buyer, "ops-delivered", Create(Buyer, Prepaid, [Item(1, "sku-tea", Seller, 1250, 2, "Green tea")]));
        var lost = await api.CreateOrderAsync(Buyer, "ops-lost", Create(Buyer, Prepaid, [Item(1, "sim-lose-parcel-1", Seller, 4500, 1, "Desk lamp")]));
        await ReachesAsync(api, delivered, s => s.Status == "DELIVERED");
        await ReachesAsync(api, lost, s => s.Status == "SHIPPED" && s.SagaSummary().Contains("FulfillmentSaga", StringComparison.Ordinal)
            && s.Json["sagas"]!.AsArray().Any(g => (string?)g!["saga"] == "FulfillmentSaga" && (string?)g["runtimeStatus"] == "Completed"));
        var flagged = await Eventually.PollAsync(async () =>
        {
            await api.RunJobAsync("DetectStuck");
            return await StuckEntryAsync(api, lost);
        }, e => e is not null, Deadline, TimeSpan.FromMilliseconds(250));
        Assert.True(flagged.Reached, $"the lost parcel's order {lost} was never flagged\n{api.Context()}");
        // The read models follow a moment later: wait until the dashboard counts both orders.
        var dashboard = await Eventually.PollAsync(() => GetAsync(api, $"/api/sellers/{Seller}/dashboard", "seller:" + Seller),
            d => d["byStatus"]!.AsArray().Sum(s => (int)s!["count"]!) == 2 && StatusCount(d, "DELIVERED") == 1 && StatusCount(d, "SHIPPED") == 1, Deadline);
        Assert.True(dashboard.Reached, $"dashboard never caught up: {dashboard.Last.ToJsonString()}");

        var page = await NewPageAsync();

        // 1. The seller's dashboard: the counts and values by status are the API's.
        await page.GotoAsync($"/ops/#/dashboard/{Seller}");
        await Expect(page.GetByTestId("total-count")).ToHaveTextAsync("2");
        foreach (var status in dashboard.Last["byStatus"]!.AsArray())
        {
            var name = ((string)status!["status"]!).ToUpperInvariant();
            await Expect(page.GetByTestId("count-" + name)).ToHaveTextAsync(((int)status["count"]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        await Expect(page.GetByTestId("late-shipments")).ToHaveTextAsync(((int)dashboard.Last["lateShipments"]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.GetByTestId("seller-orders").GetByTestId("order-link-" + delivered)).ToBeVisibleAsync();
        await ScreenshotAsync(page, "1-dashboard");

        // 2. Follow the delivered order to its page: status, money, chain badge and timeline are the API's.
        await page.GetByTestId("seller-orders").GetByTestId("order-link-" + delivered).ClickAsync();
        var detail = await GetAsync(api, $"/api/orders/{delivered}", OrdersClient.Operator);
        await Expect(page.GetByTestId("order-id")).ToHaveTextAsync(delivered);
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync(((string)detail["status"]!).ToUpperInvariant());
        await Expect(page.GetByTestId("order-version")).ToHaveTextAsync(((long)detail["version"]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True((bool)detail["historyIntact"]!);
        await Expect(page.GetByTestId("chain-badge")).ToHaveTextAsync("history chain verifies");
        await Expect(page.GetByTestId("total")).ToHaveTextAsync(Money(detail["pricing"]!["total"]!));
        var history = detail["history"]!.AsArray();
        await Expect(page.GetByTestId("timeline").Locator("li")).ToHaveCountAsync(history.Count);
        foreach (var entry in history)
        {
            var sequence = (long)entry!["sequence"]!;
            await Expect(page.GetByTestId($"entry-reason-{sequence}")).ToHaveTextAsync((string)entry["reason"]!);
        }
        await Expect(page.GetByTestId("entry-transition-1")).ToHaveTextAsync("— → CREATED");
        await Expect(page.GetByTestId("state-DELIVERED")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bcurrent\b"));
        await ScreenshotAsync(page, "2-order-timeline");

        // 3. The stuck list: the lost parcel's order with detect-stuck's reason; resolve it with a refund.
        await page.GetByTestId("nav-stuck").ClickAsync();
        var entryBefore = flagged.Last!;
        await Expect(page.GetByTestId("stuck-reason-" + lost)).ToHaveTextAsync((string)entryBefore["reason"]!);
        await page.GetByTestId("reason-" + lost).FillAsync("carrier confirmed the parcel is lost");
        await ScreenshotAsync(page, "3-stuck-list");
        await page.GetByTestId("resolve-refund-lost-parcel-" + lost).ClickAsync();
        await Expect(page.GetByTestId("toast")).ToContainTextAsync("recorded");

        // The refund saga reverses the payment and closes the order; the page shows what the API then says.
        var closed = await ReachesAsync(api, lost, s => s.Status == "CLOSED");
        var resolved = await GetAsync(api, $"/api/orders/{lost}", OrdersClient.Operator);
        var operatorEntry = resolved["history"]!.AsArray().Single(h => (string?)h!["actor"]!["kind"] == "Operator")!;
        Assert.Contains("carrier confirmed the parcel is lost", (string)operatorEntry["reason"]!, StringComparison.Ordinal);
        Assert.Contains(resolved["history"]!.AsArray(), h => (string?)h!["from"] == "SHIPPED" && (string?)h["to"] == "REFUNDED");
        await page.GotoAsync($"/ops/#/order/{lost}");
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("CLOSED");
        await Expect(page.GetByTestId("chain-badge")).ToHaveTextAsync((bool)resolved["historyIntact"]! ? "history chain verifies" : "history chain BROKEN");
        await Expect(page.GetByTestId("timeline").Locator("li")).ToHaveCountAsync(resolved["history"]!.AsArray().Count);
        await Expect(page.GetByTestId($"entry-reason-{(long)operatorEntry["sequence"]!}")).ToHaveTextAsync((string)operatorEntry["reason"]!);
        await Expect(page.GetByTestId("amount-refunded")).ToHaveTextAsync(Money(resolved["amountRefunded"]!));
        await Expect(page.GetByTestId("state-REFUNDED")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bvisited\b"));
        await ScreenshotAsync(page, "4-order-resolved");

        // Once it moved on, detect-stuck clears the flag, and the list says so.
        await api.RunJobAsync("DetectStuck");
        Assert.Null(await StuckEntryAsync(api, lost));
        await page.GetByTestId("nav-stuck").ClickAsync();
        await Expect(page.GetByTestId("stuck-" + lost)).ToHaveCountAsync(0);
        output.WriteLine($"order {lost} resolved through the page at version {closed.Version}; screenshots in {Artifacts}");
    }

    private async Task<IPage> NewPageAsync()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _host!.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        page.Console += (_, message) => { if (message.Type == "error") output.WriteLine($"browser console error: {message.Text}"); };
        page.PageError += (_, error) => output.WriteLine($"browser page error: {error}");
        return page;
    }

    private async Task ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(Artifacts, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }

    /// <summary>The page's money format: minor units at the currency's exponent, then the code.</summary>
    private static string Money(JsonNode money)
    {
        var minor = (long)money["minor"]!;
        var currency = (string)money["currency"]!;
        var digits = currency is "JPY" or "KRW" ? 0 : currency is "BHD" or "KWD" or "OMR" or "JOD" or "TND" ? 3 : 2;
        var text = Math.Abs(minor).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(digits + 1, '0');
        return (minor < 0 ? "-" : "") + (digits == 0 ? text : text[..^digits] + "." + text[^digits..]) + " " + currency;
    }

    private static int StatusCount(JsonNode dashboard, string status) =>
        dashboard["byStatus"]!.AsArray().Where(s => (string?)s!["status"] == status).Sum(s => (int)s!["count"]!);

    private static async Task<JsonNode> GetAsync(OrdersClient api, string path, string caller)
    {
        var response = await api.SendAsync(HttpMethod.Get, path, caller);
        Assert.True(response.Status == HttpStatusCode.OK, $"{response}\n{api.Context()}");
        return response.Json;
    }

    private static async Task<JsonObject?> StuckEntryAsync(OrdersClient api, string orderId) =>
        (await GetAsync(api, "/api/operations/stuck-orders?pageSize=100", OrdersClient.Operator))["orders"]!.AsArray()
            .Select(o => o!.AsObject()).FirstOrDefault(o => (string?)o["orderId"] == orderId);

    private static async Task<StoreState> ReachesAsync(OrdersClient api, string orderId, Func<StoreState, bool> done)
    {
        var polled = await Eventually.PollAsync(() => api.StoreStateAsync(orderId), done, Deadline);
        Assert.True(polled.Reached, $"order {orderId} is {polled.Last.Status} (sagas {polled.Last.SagaSummary()})\n{api.Context()}");
        return polled.Last;
    }

    public async Task InitializeAsync()
    {
        if (Chromium.SkipReason is not null) return; // the test is skipped, saying why
        _data = TempDirectory.Create("orders-browser");
        _host = await LocalHostProcess.StartAsync("browser-host", _data.Path,
        [
            "--Simulators:AnswerDelay=00:00:00.100",
            "--Jobs:SettleTime=00:00:00",
            "--Jobs:AutoCancelUnpaid:Schedule=0 0 0 1 1 *",
            "--Jobs:DetectStuck:Schedule=0 0 0 1 1 *",
            "--Jobs:Reconcile:Schedule=0 0 0 1 1 *",
            "--Jobs:AutoClose:Schedule=0 0 0 1 1 *",
        ]);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.Path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_host is not null) await _host.DisposeAsync();
        _data?.Dispose();
    }
}
