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

    public sealed record CheckoutResult(int Clients, int Checkouts, double PerSecond, double CpuMsPerCheckout, double ConfirmP50, double ConfirmP99, double PostP50, double PostP99,
        double TurnsPerCheckout = double.NaN, double ActivitiesPerCheckout = double.NaN, double AllocatedMiBPerCheckout = double.NaN,
        double ClientCpuMsPerCheckout = double.NaN, HostGc? Gc = null);

    /// <summary>The host's garbage collections while a row ran: how many of each generation, and the time paused.</summary>
    public sealed record HostGc(int Gen0, int Gen1, int Gen2, double PauseMilliseconds, double Seconds)
    {
        public int Collections => Gen0 + Gen1 + Gen2;
        public double PausePerSecond => PauseMilliseconds / Seconds;
        public double MeanPause => Collections == 0 ? 0 : PauseMilliseconds / Collections;
    }

    /// <summary>The engine's work counters and the host's allocations (GET /local/engine).</summary>
    private static async Task<(long Turns, long Activities, long Allocated, double GcPause, int[] Gcs)> WorkAsync(OrdersClient client)
    {
        using var json = JsonDocument.Parse(await client.GetTextAsync("local/engine"));
        var root = json.RootElement;
        long Read(string name) => root.TryGetProperty(name, out var v) ? v.GetInt64() : 0;
        var gcs = root.TryGetProperty("gcCollections", out var c) && c.ValueKind == JsonValueKind.Array
            ? c.EnumerateArray().Select(g => g.GetInt32()).ToArray() : [0, 0, 0];
        var pause = root.TryGetProperty("gcPauseMilliseconds", out var p) ? p.GetDouble() : 0;
        return (Read("orchestrationTurns"), Read("activitiesRun"), Read("hostAllocatedBytes"), pause, gcs);
    }

    /// <summary>Closed loop: each client creates an order and waits until it is CONFIRMED (see <see cref="ObserveByPolling"/>), then the next.</summary>
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
        await using var confirmations = new PublishedEvents(host.DataDirectory, "orders.order-confirmed.v1");
        Func<string, string, Task> confirmed = ObserveByPolling || pollEvery is not null
            ? async (buyer, id) => { while (await client.StatusAsync(buyer, id) == "CREATED") await Task.Delay(poll); }
            : (_, id) => confirmations.For(id);
        // Steady state: the host is loaded (closed loop, 32 clients) until tiered JIT compilation has settled — about
        // half a minute on 2 cores; the first rows otherwise measure the compiler as much as the host.
        if (WarmUpSeconds > 0) await ClosedLoopAsync(client, 32, TimeSpan.FromSeconds(WarmUpSeconds), "warm", confirmed, new(), new());
        var round = 0;
        foreach (var clients in clientCounts)
        {
            // Idempotency keys unique per round: a row that repeats a client count must create new orders, not replay
            // the earlier row's (an idempotent replay answers at once with an order that is already CONFIRMED).
            var r = round++;
            var confirm = new ConcurrentBag<double>();
            var post = new ConcurrentBag<double>();
            var work0 = await WorkAsync(client);
            var cpu0 = host.CpuTime;
            // The load generator shares the machine's two cores with the host: its own CPU is printed beside the host's.
            var self = Process.GetCurrentProcess();
            var clientCpu0 = self.TotalProcessorTime;
            onRowStart?.Invoke();
            var elapsed = await ClosedLoopAsync(client, clients, each, $"k{clients}-r{r}", confirmed, confirm, post);
            var cpu = host.CpuTime - cpu0;
            self.Refresh();
            var clientCpu = self.TotalProcessorTime - clientCpu0;
            var work = await WorkAsync(client);
            var n = confirm.Count;
            results.Add(new CheckoutResult(clients, n, n / elapsed.TotalSeconds, cpu.TotalMilliseconds / n,
                Stats.Percentile([.. confirm], 50), Stats.Percentile([.. confirm], 99), Stats.Percentile([.. post], 50), Stats.Percentile([.. post], 99),
                (work.Turns - work0.Turns) / (double)n, (work.Activities - work0.Activities) / (double)n, (work.Allocated - work0.Allocated) / 1048576.0 / n,
                clientCpu.TotalMilliseconds / n,
                // CollectionCount(n) counts every collection of generation n or higher: gen0 is all of them.
                new HostGc(work.Gcs[0] - work0.Gcs[0] - (work.Gcs[1] - work0.Gcs[1]), work.Gcs[1] - work0.Gcs[1] - (work.Gcs[2] - work0.Gcs[2]),
                    work.Gcs[2] - work0.Gcs[2], work.GcPause - work0.GcPause, elapsed.TotalSeconds)));
        }
        return results;
    }

    /// <summary>Seconds of unmeasured load before the checkout rows (0: none).</summary>
    public static int WarmUpSeconds { get; set; } = 30;

    /// <summary>
    /// How a client learns that its order was confirmed: false (the default) from the published events (the host's
    /// outbound topic, read by this process: costs the host nothing); true by polling <c>GET /api/orders/{id}</c> every
    /// 10 ms, as a browser might (each poll costs the host ~0.3 ms of CPU: see <c>reads</c>).
    /// </summary>
    public static bool ObserveByPolling { get; set; }

    /// <summary>Each client creates an order and waits until it is confirmed, then the next.</summary>
    private static async Task<TimeSpan> ClosedLoopAsync(OrdersClient client, int clients, TimeSpan each, string prefix, Func<string, string, Task> confirmed,
        ConcurrentBag<double> confirm, ConcurrentBag<double> post)
    {
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var i = 0;
            while (watch.Elapsed < each)
            {
                var buyer = $"b{prefix}-{c}";
                var started = Stopwatch.GetTimestamp();
                var created = await client.CreateAsync(buyer, $"{prefix}-{c}-{i++}");
                if (created.OrderId is null) { await Task.Delay(created.RetryAfter ?? TimeSpan.FromMilliseconds(50)); continue; }
                post.Add(created.Milliseconds);
                await confirmed(buyer, created.OrderId);
                confirm.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        })));
        return watch.Elapsed;
    }

    public sealed record PacedResult(int Rate, int Connections, double Seconds, int Sent, int Created, int Refused, int Failed, int Confirmed,
        double ConfirmedPerSecond, double CpuMsPerCheckout, double PostP50, double PostP99, double PostP999, double PostMax, double SendLagP99,
        double ConfirmP50, double ConfirmP99, HostGc Gc, double AllocatedKiBPerCheckout, double ClientGcPausePerSecond, int ClientGcs);

    /// <summary>
    /// Open loop: creates are <i>scheduled</i> at <paramref name="rate"/> a second, each on its own task, over at most
    /// <paramref name="connections"/> connections (the client's pool queues the rest), and every latency is measured
    /// from the scheduled send time — so a request that waited for the load generator, for a free connection or behind
    /// a slow one counts that wait (no coordinated omission). Each order's confirmation is followed in the published
    /// events as in the closed loop; its saga, and everything after it to DELIVERED, runs meanwhile. One host, one
    /// warm-up, the rates in turn.
    /// </summary>
    public static async Task<IReadOnlyList<PacedResult>> PacedAsync(int[] rates, int connections, TimeSpan each, params string[] settings)
    {
        await using var host = await HostUnderLoad.StartAsync([.. Fast, .. settings]);
        using var client = new OrdersClient(host.Address, connections);
        await WarmUpAsync(client);
        await using var confirmations = new PublishedEvents(host.DataDirectory, "orders.order-confirmed.v1");
        Func<string, string, Task> confirmed = (_, id) => confirmations.For(id);
        if (WarmUpSeconds > 0) await ClosedLoopAsync(client, 32, TimeSpan.FromSeconds(WarmUpSeconds), "warm", confirmed, new(), new());
        var results = new List<PacedResult>();
        var round = 0;
        foreach (var rate in rates)
        {
            var r = round++;
            await Task.Delay(2000); // the previous row's tail (sagas to DELIVERED) settles first
            var post = new ConcurrentBag<double>();
            var lag = new ConcurrentBag<double>();
            var confirm = new ConcurrentBag<double>();
            int created = 0, refused = 0, failed = 0;
            var work0 = await WorkAsync(client);
            var cpu0 = host.CpuTime;
            // This program's own collections: a request answered while it is paused is timed late by the pause.
            var clientPause0 = GC.GetTotalPauseDuration();
            var clientGcs0 = GC.CollectionCount(0);
            var requests = new List<Task>();
            var watch = Stopwatch.StartNew();
            for (var i = 0; ; i++)
            {
                var due = TimeSpan.FromSeconds(i / (double)rate);
                if (due >= each) break;
                // Whole milliseconds, rounded up: a Task.Delay under 1 ms returns at once and would send early.
                var wait = due - watch.Elapsed;
                if (wait > TimeSpan.Zero) await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)));
                var k = i;
                requests.Add(Task.Run(async () =>
                {
                    lag.Add((watch.Elapsed - due).TotalMilliseconds);
                    var buyer = $"bp{r}-{k % connections}";
                    try
                    {
                        var reply = await client.CreateAsync(buyer, $"paced-{r}-{k}");
                        if (reply.OrderId is null)
                        {
                            Interlocked.Increment(ref reply.Status == HttpStatusCode.ServiceUnavailable ? ref refused : ref failed);
                            return;
                        }
                        // As in the closed loop, the POST figures are of creates answered 201 (a quick 503 would flatter them).
                        post.Add((watch.Elapsed - due).TotalMilliseconds);
                        Interlocked.Increment(ref created);
                        await confirmed(buyer, reply.OrderId).WaitAsync(TimeSpan.FromMinutes(1));
                        confirm.Add((watch.Elapsed - due).TotalMilliseconds);
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException)
                    {
                        // No answer, or a confirmation that never came: counted, never a reason to lose the row.
                        Interlocked.Increment(ref failed);
                    }
                }));
            }
            var sent = requests.Count;
            await Task.WhenAll(requests);
            var elapsed = watch.Elapsed;
            var cpu = host.CpuTime - cpu0;
            var clientPause = GC.GetTotalPauseDuration() - clientPause0;
            var clientGcs = GC.CollectionCount(0) - clientGcs0;
            var work = await WorkAsync(client);
            var n = Math.Max(1, confirm.Count);
            double[] posts = [.. post];
            results.Add(new PacedResult(rate, connections, each.TotalSeconds, sent, created, refused, failed, confirm.Count, confirm.Count / elapsed.TotalSeconds,
                cpu.TotalMilliseconds / n, Stats.Percentile(posts, 50), Stats.Percentile(posts, 99), Stats.Percentile(posts, 99.9), posts.Max(),
                Stats.Percentile([.. lag], 99), Stats.Percentile([.. confirm], 50), Stats.Percentile([.. confirm], 99),
                new HostGc(work.Gcs[0] - work0.Gcs[0] - (work.Gcs[1] - work0.Gcs[1]), work.Gcs[1] - work0.Gcs[1] - (work.Gcs[2] - work0.Gcs[2]),
                    work.Gcs[2] - work0.Gcs[2], work.GcPause - work0.GcPause, elapsed.TotalSeconds),
                (work.Allocated - work0.Allocated) / 1024.0 / n, clientPause.TotalMilliseconds / elapsed.TotalSeconds, clientGcs));
        }
        return results;
    }

    public sealed record ReadResult(string What, int Reads, double PerSecond, double CpuMicrosPerRead, double P50, double P99);

    /// <summary>
    /// Reads alone: <paramref name="orders"/> orders run to DELIVERED first (nothing else moves), then
    /// <paramref name="clients"/> clients read them back to back for <paramref name="each"/>, per endpoint; host CPU per read.
    /// </summary>
    public static async Task<IReadOnlyList<ReadResult>> ReadsAsync(int orders, int clients, TimeSpan each)
    {
        await using var host = await HostUnderLoad.StartAsync(Fast);
        using var client = new OrdersClient(host.Address, clients);
        await WarmUpAsync(client);
        var ids = new List<string>();
        for (var i = 0; i < orders; i++) ids.Add((await client.CreateAsync("reader", "read-" + i)).OrderId!);
        var settle = Stopwatch.StartNew();
        while (await client.StatusAsync("reader", ids[^1]) != "DELIVERED" && settle.Elapsed < TimeSpan.FromMinutes(1)) await Task.Delay(100);
        await Task.Delay(2000); // the change feed and relay catch up: the reads below run on a quiet host
        var results = new List<ReadResult>();
        foreach (var (what, path) in new[] { ("GET /api/orders/{id}", ""), ("GET /api/orders/{id}/status", "/status") })
        {
            for (var round = 0; round < 2; round++) // the first round warms the path up (JIT), the second is measured
            {
                var latencies = new ConcurrentBag<double>();
                var cpu0 = host.CpuTime;
                var watch = Stopwatch.StartNew();
                await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
                {
                    var i = c;
                    while (watch.Elapsed < each)
                    {
                        var started = Stopwatch.GetTimestamp();
                        await client.GetTextAsync($"api/orders/{ids[i++ % ids.Count]}{path}", "buyer:reader");
                        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                })));
                var elapsed = watch.Elapsed;
                var cpu = host.CpuTime - cpu0;
                if (round == 1)
                    results.Add(new ReadResult(what, latencies.Count, latencies.Count / elapsed.TotalSeconds, cpu.TotalMicroseconds / latencies.Count,
                        Stats.Percentile([.. latencies], 50), Stats.Percentile([.. latencies], 99)));
            }
        }
        return results;
    }

    public sealed record BurstResult(int Connections, double Seconds, int Accepted, int Refused503, int OtherFailures, double PostP50, double PostP99,
        double CreatesPerSecond, double CpuMsPerOrder, double DrainSeconds, IReadOnlyDictionary<string, int> Statuses, string Engine, string AutoCancel, string EngineAfterDrain);

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
        var engineAfterDrain = await client.GetTextAsync("local/engine");
        var autoCancel = await client.PostTextAsync("local/jobs/AutoCancelUnpaid");
        using var report = JsonDocument.Parse(autoCancel);
        var cancelledByJob = report.RootElement.TryGetProperty("cancelled", out var c) ? c.ToString() : autoCancel.Replace("\n", " ", StringComparison.Ordinal);
        var counts = statuses.Values.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        return new BurstResult(connections, burstSeconds, accepted.Count, refused, failed, Stats.Percentile([.. post], 50), Stats.Percentile([.. post], 99),
            accepted.Count / burstSeconds, cpu.TotalMilliseconds / Math.Max(1, accepted.Count), drainSeconds, counts, engineAfterBurst, cancelledByJob, engineAfterDrain);
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
