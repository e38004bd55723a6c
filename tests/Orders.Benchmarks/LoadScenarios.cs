using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Orders.Benchmarks;

/// <summary>The load scenarios against the local host as a process (in-memory engine, simulators answering at once).</summary>
internal static class LoadScenarios
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Settings for every load run: answers at once, quiet logs.</summary>
    private static readonly string[] Fast = ["--Simulators:AnswerDelay=00:00:00"];

    public sealed record CheckoutResult(int Clients, int Checkouts, double PerSecond, double CpuMsPerCheckout, double ConfirmP50, double ConfirmP99, double PostP50, double PostP99);

    /// <summary>Closed loop: each client creates an order and polls it (every 10 ms) until it is CONFIRMED, then the next.</summary>
    public static Task<IReadOnlyList<CheckoutResult>> CheckoutsAsync(int[] clientCounts, TimeSpan each, params string[] settings) =>
        CheckoutsAsync(clientCounts, each, onRowStart: null, pollEvery: null, settings);

    /// <param name="onRowStart">Called as each row's measurement starts (after the warm-up), e.g. to read another process's CPU.</param>
    /// <param name="pollEvery">How often a client reads its order until CONFIRMED (10 ms when null). Every read is host CPU:
    /// where confirmation takes seconds, 10 ms polling adds hundreds of reads to each checkout.</param>
    public static async Task<IReadOnlyList<CheckoutResult>> CheckoutsAsync(int[] clientCounts, TimeSpan each, Action? onRowStart, TimeSpan? pollEvery, string[] settings)
    {
        var poll = pollEvery ?? TimeSpan.FromMilliseconds(10);
        await using var host = await HostUnderLoad.StartAsync([.. Fast, .. settings]);
        var results = new List<CheckoutResult>();
        using var client = new OrdersClient(host.Address, 128);
        await WarmUpAsync(client);
        var round = 0;
        foreach (var clients in clientCounts)
        {
            // Idempotency keys unique per round: a row that repeats a client count must create new orders, not replay
            // the earlier row's (an idempotent replay answers at once with an order that is already CONFIRMED).
            var r = round++;
            var confirm = new ConcurrentBag<double>();
            var post = new ConcurrentBag<double>();
            var cpu0 = host.CpuTime;
            onRowStart?.Invoke();
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
            {
                var i = 0;
                while (watch.Elapsed < each)
                {
                    var buyer = $"b{clients}-{c}";
                    var started = Stopwatch.GetTimestamp();
                    var created = await client.CreateAsync(buyer, $"k{clients}-r{r}-{c}-{i++}");
                    if (created.OrderId is null) { await Task.Delay(created.RetryAfter ?? TimeSpan.FromMilliseconds(50)); continue; }
                    post.Add(created.Milliseconds);
                    while (await client.StatusAsync(buyer, created.OrderId) == "CREATED") await Task.Delay(poll);
                    confirm.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            })));
            watch.Stop();
            var cpu = host.CpuTime - cpu0;
            var n = confirm.Count;
            results.Add(new CheckoutResult(clients, n, n / watch.Elapsed.TotalSeconds, cpu.TotalMilliseconds / n,
                Stats.Percentile([.. confirm], 50), Stats.Percentile([.. confirm], 99), Stats.Percentile([.. post], 50), Stats.Percentile([.. post], 99)));
        }
        return results;
    }

    public sealed record BurstResult(int Connections, double Seconds, int Accepted, int Refused503, int OtherFailures, double PostP50, double PostP99,
        double CreatesPerSecond, double CpuMsPerOrder, double DrainSeconds, IReadOnlyDictionary<string, int> Statuses, string Engine, string AutoCancel);

    /// <summary>
    /// Open burst: <paramref name="connections"/> clients POST creates back to back for <paramref name="length"/> (a 503
    /// is honoured: the client waits Retry-After), then every accepted order is followed until it is DELIVERED or
    /// terminal, with auto-cancel's deadline shortened to a minute and the job run by hand at the end.
    /// </summary>
    public static async Task<BurstResult> BurstAsync(int connections, TimeSpan length, TimeSpan drainLimit, int maxSagasInFlight)
    {
        await using var host = await HostUnderLoad.StartAsync([.. Fast, "--Orders:UnpaidDeadline=00:01:00",
            $"--Orders:MaxSagasInFlight={maxSagasInFlight}"]);
        using var client = new OrdersClient(host.Address, connections);
        await WarmUpAsync(client);
        var accepted = new ConcurrentBag<(string Buyer, string Id)>();
        var post = new ConcurrentBag<double>();
        var refused = 0;
        var failed = 0;
        var cpu0 = host.CpuTime;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(c => Task.Run(async () =>
        {
            var i = 0;
            while (watch.Elapsed < length)
            {
                var buyer = $"burst-{c}";
                var created = await client.CreateAsync(buyer, $"burst-{c}-{i++}");
                post.Add(created.Milliseconds);
                if (created.OrderId is not null) accepted.Add((buyer, created.OrderId));
                else if (created.Status == HttpStatusCode.ServiceUnavailable)
                {
                    Interlocked.Increment(ref refused);
                    await Task.Delay(created.RetryAfter ?? TimeSpan.FromSeconds(1));
                }
                else Interlocked.Increment(ref failed);
            }
        })));
        var burstSeconds = watch.Elapsed.TotalSeconds;
        var engineAfterBurst = await client.GetTextAsync("local/engine");

        // Drain: follow every accepted order until it is DELIVERED (or ended otherwise), at most drainLimit.
        var pending = accepted.ToList();
        var statuses = new ConcurrentDictionary<string, string>();
        var drain = Stopwatch.StartNew();
        while (pending.Count > 0 && drain.Elapsed < drainLimit)
        {
            var still = new ConcurrentBag<(string, string)>();
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (o, _) =>
            {
                var status = await client.StatusAsync(o.Buyer, o.Id);
                statuses[o.Id] = status;
                if (status is "CREATED" or "CONFIRMED" or "PAID" or "SHIPPED") still.Add(o);
            });
            pending = [.. still];
            if (pending.Count > 0) await Task.Delay(500);
        }
        var drainSeconds = drain.Elapsed.TotalSeconds;
        var cpu = host.CpuTime - cpu0;
        var autoCancel = await client.PostTextAsync("local/jobs/AutoCancelUnpaid");
        using var report = JsonDocument.Parse(autoCancel);
        var cancelledByJob = report.RootElement.TryGetProperty("cancelled", out var c) ? c.ToString() : autoCancel.Replace("\n", " ", StringComparison.Ordinal);
        var counts = statuses.Values.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        return new BurstResult(connections, burstSeconds, accepted.Count, refused, failed, Stats.Percentile([.. post], 50), Stats.Percentile([.. post], 99),
            accepted.Count / burstSeconds, cpu.TotalMilliseconds / Math.Max(1, accepted.Count), drainSeconds, counts, engineAfterBurst, cancelledByJob);
    }

    public sealed record LagResult(int Samples, double P50, double P99, double Max);

    /// <summary>One client: create an order for a fresh buyer, then poll that buyer's list (every 1 ms) until it shows the order.</summary>
    public static async Task<LagResult> ReadModelLagAsync(int samples)
    {
        await using var host = await HostUnderLoad.StartAsync(Fast);
        using var client = new OrdersClient(host.Address, 4);
        await WarmUpAsync(client);
        var lags = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            var buyer = $"lag-{i}";
            var created = await client.CreateAsync(buyer, $"lag-{i}");
            var seen = Stopwatch.StartNew();
            while (!await client.ListedAsync(buyer, created.OrderId!)) await Task.Delay(1);
            lags.Add(seen.Elapsed.TotalMilliseconds);
            await Task.Delay(20); // let the sagas' own changes settle: each sample starts on a quiet pump
        }
        return new LagResult(samples, Stats.Percentile(lags, 50), Stats.Percentile(lags, 99), lags.Max());
    }

    public sealed record SoakResult(double Seconds, int RatePerSecond, int Created, int Refused, double RssStartMiB, double RssEndMiB, double RssMaxMiB,
        double SlopeMiBPerMinute, double SlopeWindowMinutes, IReadOnlyList<(double Minute, double RssMiB)> Samples, string Engine, string Purge);

    /// <summary>
    /// Steady load: <paramref name="ratePerSecond"/> creates per second (each order runs to DELIVERED by itself) for
    /// <paramref name="length"/>, RSS sampled every 5 s; the slope is fitted over the second half (after warm-up and
    /// after the first retention period, once purges run).
    /// </summary>
    public static async Task<SoakResult> SoakAsync(TimeSpan length, int ratePerSecond, TimeSpan retention)
    {
        var r = retention.ToString("c", Inv);
        await using var host = await HostUnderLoad.StartAsync([.. Fast, $"--Sagas:Retention={r}", $"--Simulators:Retention={r}",
            "--Jobs:PurgeSagas:Schedule=*/10 * * * * *"]);
        using var client = new OrdersClient(host.Address, 32);
        await WarmUpAsync(client);
        var samples = new List<(double, double)>();
        var created = 0;
        var refused = 0;
        var watch = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(length);
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                samples.Add((watch.Elapsed.TotalMinutes, host.RssMiB));
                try { await Task.Delay(5000, stop.Token); } catch (OperationCanceledException) { }
            }
            samples.Add((watch.Elapsed.TotalMinutes, host.RssMiB));
        });
        const int workers = 16;
        var perWorkerInterval = TimeSpan.FromSeconds(workers / (double)ratePerSecond);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var next = watch.Elapsed;
            var i = 0;
            while (!stop.IsCancellationRequested)
            {
                var reply = await client.CreateAsync($"soak-{w}", $"soak-{w}-{i++}");
                if (reply.OrderId is not null) Interlocked.Increment(ref created); else Interlocked.Increment(ref refused);
                next += perWorkerInterval;
                var wait = next - watch.Elapsed;
                if (wait > TimeSpan.Zero) { try { await Task.Delay(wait, stop.Token); } catch (OperationCanceledException) { } }
            }
        })));
        await sampler;
        var engine = await client.GetTextAsync("local/engine");
        var purge = await client.PostTextAsync("local/jobs/PurgeSagas");
        var half = samples.Where(s => s.Item1 >= length.TotalMinutes / 2).ToList();
        return new SoakResult(watch.Elapsed.TotalSeconds, ratePerSecond, created, refused, samples[0].Item2, samples[^1].Item2, samples.Max(s => s.Item2),
            Stats.Slope(half), length.TotalMinutes / 2, samples, engine, purge.Replace("\n", " ", StringComparison.Ordinal));
    }

    /// <summary>Orders created before any measurement (JIT, pools, caches).</summary>
    public static int WarmUpOrders { get; set; } = 200;

    private static async Task WarmUpAsync(OrdersClient client)
    {
        string? last = null;
        for (var i = 0; i < WarmUpOrders; i++)
        {
            var created = await client.CreateAsync("warm", "warm-" + i);
            last = created.OrderId ?? throw new InvalidOperationException($"warm-up create answered {created.Status}");
        }
        // Until the engine has confirmed the last warm-up order (on Azure Storage: until it holds its partitions).
        var clock = Stopwatch.StartNew();
        while (await client.StatusAsync("warm", last!) == "CREATED" && clock.Elapsed < TimeSpan.FromMinutes(2)) await Task.Delay(100);
        await Task.Delay(1000);
    }
}
