using System.Globalization;
using Orders.Benchmarks;
using Orders.Infrastructure.Durable;

// Figures, printed, never asserted. One command (see README.md beside this file):
//   dotnet run -c Release --project tests/Orders.Benchmarks [-- [store|limits|checkout|reads|azure-storage|burst|lag|soak|all]
//       [--soak-minutes=N] [--soak-rate=N] [--burst-seconds=N] [--checkout-seconds=N] [--clients=N,M] [--warmup-seconds=N]
//       [--poll] [--read-seconds=N] [--max-sagas=N]]
//   dotnet run -c Release --project tests/Orders.Benchmarks -- paced [--rates=200,300] [--connections=64] [--paced-seconds=15]   (open loop, not in all)
//   dotnet run -c Release --project tests/Orders.Benchmarks -- import [orders] [times]   (the legacy import only)
//   dotnet run -c Release --project tests/Orders.Benchmarks -- generate <lines> <file> [brokenShare]
// The load scenarios start the local host (built with this project, Release) as a separate process on a free port.
if (args.Length > 0 && args[0] == "generate")
{
    // dotnet run ... -- generate <lines> <file> [brokenShare]: a legacy file to try the import with.
    await using var file = File.Create(args[2]);
    var counts = new Dictionary<string, int>();
    Orders.LegacyFiles.LegacyFileGenerator.Write(file, new Orders.LegacyFiles.LegacyFileGenerator(42, DateTimeOffset.UtcNow)
        .Lines(int.Parse(args[1], CultureInfo.InvariantCulture), args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 0.05),
        l => counts[l.ExpectedReason ?? l.ExpectedOutcome] = counts.GetValueOrDefault(l.ExpectedReason ?? l.ExpectedOutcome) + 1);
    Console.WriteLine("expected: " + string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}")));
    return;
}
if (args.Length > 0 && args[0] == "import")
{
    await ImportBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000,
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5);
    return;
}
var inv = CultureInfo.InvariantCulture;
var what = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
double Option(string name, double fallback) =>
    args.FirstOrDefault(a => a.StartsWith($"--{name}=", StringComparison.Ordinal)) is { } a ? double.Parse(a[(name.Length + 3)..], inv) : fallback;
bool Runs(string part) => what == "all" || what == part;
void Line(FormattableString text) => Console.WriteLine(text.ToString(inv));

Console.WriteLine($"Orders benchmarks — {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
double sqliteRate = double.NaN, trivialRate = double.NaN, trivialCpu = double.NaN;
if (Runs("limits") || Runs("checkout"))
{
    sqliteRate = Limits.SqliteCommitsPerSecond(20_000);
    // The host's engine (in process) gives the floor below; the sidecar is printed for comparison.
    var (sidecarRate, sidecarCpu) = await Limits.TrivialOrchestrationsPerSecondAsync(4_000, 64, EngineDispatch.Sidecar);
    (trivialRate, trivialCpu) = await Limits.TrivialOrchestrationsPerSecondAsync(4_000, 64, EngineDispatch.Direct);
    Console.WriteLine();
    Console.WriteLine("## Limits (same run, same machine)");
    Line($"| raw SQLite commits/s (1 row per transaction, WAL, synchronous=NORMAL) | {sqliteRate,8:F0} |");
    Line($"| trivial orchestrations/s (1 activity, in-memory engine dispatched in process, 64 at a time) | {trivialRate,8:F0} |");
    Line($"| CPU per trivial orchestration (2 turns + 1 activity, engine and client in one process) | {trivialCpu,8:F2} ms |");
    Line($"| the same through the gRPC sidecar (before decision 0029): orchestrations/s, CPU each | {sidecarRate,8:F0} | {sidecarCpu:F2} ms |");
}

if (Runs("store"))
{
    Console.WriteLine();
    Console.WriteLine("## Store (use cases against SQLite, in process)");
    await StoreFigures.RunAsync((int)Option("store-orders", 2_000));
}

if (Runs("checkout"))
{
    var seconds = Option("checkout-seconds", 15);
    LoadScenarios.WarmUpSeconds = (int)Option("warmup-seconds", 30);
    LoadScenarios.ObserveByPolling = args.Contains("--poll");
    int[] clientCounts = args.FirstOrDefault(a => a.StartsWith("--clients=", StringComparison.Ordinal)) is { } cs
        ? [.. cs["--clients=".Length..].Split(',').Select(c => int.Parse(c, inv))] : [1, 8, 32, 64];
    var results = await LoadScenarios.CheckoutsAsync(clientCounts, TimeSpan.FromSeconds(seconds));
    Console.WriteLine();
    Line($"## Checkouts: create → CONFIRMED over HTTP, local host process, in-memory engine, answers at once ({seconds:F0} s per row, after {LoadScenarios.WarmUpSeconds} s of warm-up load)");
    Console.WriteLine(LoadScenarios.ObserveByPolling
        ? "Confirmation seen by polling GET /api/orders/{id} every 10 ms (the polls' CPU is in the host's figure)."
        : "Confirmation seen in the published events (orders.order-confirmed.v1 in the host's outbound topic file), as another domain sees it; --poll polls GET instead.");
    Console.WriteLine("| clients | checkouts | checkouts/s | × trivial orch. rate | host CPU ms/checkout | create→CONFIRMED p50 / p99 ms | POST p50 / p99 ms | orch. turns / activities per checkout | host MiB allocated per checkout | load generator CPU ms/checkout |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
    foreach (var r in results)
        Line($"| {r.Clients} | {r.Checkouts} | {r.PerSecond:F0} | {r.PerSecond / trivialRate:F2} | {r.CpuMsPerCheckout:F2} | {r.ConfirmP50:F1} / {r.ConfirmP99:F1} | {r.PostP50:F1} / {r.PostP99:F1} | {r.TurnsPerCheckout:F1} / {r.ActivitiesPerCheckout:F1} | {r.AllocatedMiBPerCheckout:F2} | {r.ClientCpuMsPerCheckout:F2} |");
    Console.WriteLine("(Counted while the row ran: with answers at once each order also runs on to DELIVERED in the background — two sagas, their projections and relayed events — and all of it is in the CPU, turns and allocations.)");
    foreach (var r in results.Where(r => r.Gc is not null))
        Line($"Host GC at {r.Clients} clients: {r.Gc!.Gen0} gen0 / {r.Gc.Gen1} gen1 / {r.Gc.Gen2} gen2 collections in {r.Gc.Seconds:F0} s, paused {r.Gc.PausePerSecond:F0} ms per second, {r.Gc.MeanPause:F1} ms per collection on average (every request in flight waits through a pause).");
    foreach (var r in results.Where(r => r.Clients == results.Max(x => x.Clients)))
        Line($"Engine floor at {r.Clients} clients: ({r.TurnsPerCheckout:F1} turns + {r.ActivitiesPerCheckout:F1} activities) / 3 work items per trivial orchestration × {trivialCpu:F2} ms = {(r.TurnsPerCheckout + r.ActivitiesPerCheckout) / 3 * trivialCpu:F1} ms of CPU per checkout for the engine alone (measured: {r.CpuMsPerCheckout:F1} ms in all).");
}

if (what == "paced")
{
    // Not part of "all": the closed-loop rows above are the saturated figure; this one asks what a given offered load gets.
    var seconds = Option("paced-seconds", 15);
    var connections = (int)Option("connections", 64);
    LoadScenarios.WarmUpSeconds = (int)Option("warmup-seconds", 30);
    int[] rates = args.FirstOrDefault(a => a.StartsWith("--rates=", StringComparison.Ordinal)) is { } rs
        ? [.. rs["--rates=".Length..].Split(',').Select(x => int.Parse(x, inv))] : [200, 300];
    // --host:Key=Value passes --Key=Value to the host (a setting to compare, e.g. --host:Sagas:Retention=00:01:00).
    string[] hostSettings = [.. args.Where(a => a.StartsWith("--host:", StringComparison.Ordinal)).Select(a => "--" + a["--host:".Length..])];
    if (hostSettings.Length > 0) Console.WriteLine("host settings: " + string.Join(' ', hostSettings));
    var results = await LoadScenarios.PacedAsync(rates, connections, TimeSpan.FromSeconds(seconds), hostSettings);
    Console.WriteLine();
    Line($"## Paced checkouts: creates scheduled at a fixed rate over {connections} connections, latency from the scheduled send ({seconds:F0} s per row, after {LoadScenarios.WarmUpSeconds} s of warm-up load)");
    Console.WriteLine("| offered/s | sent | 201 / 503 / other | confirmed/s | host CPU ms/checkout | POST p50 / p99 / p99.9 / max ms | send lag p99 ms | create→CONFIRMED p50 / p99 ms | host GC (gen0/1/2), paused per s, mean pause | host KiB allocated/checkout | load generator GC: collections, paused per s |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
    foreach (var r in results)
        Line($"| {r.Rate} | {r.Sent} | {r.Created} / {r.Refused} / {r.Failed} | {r.ConfirmedPerSecond:F0} | {r.CpuMsPerCheckout:F2} | {r.PostP50:F1} / {r.PostP99:F1} / {r.PostP999:F1} / {r.PostMax:F1} | {r.SendLagP99:F1} | {r.ConfirmP50:F1} / {r.ConfirmP99:F1} | {r.Gc.Gen0}/{r.Gc.Gen1}/{r.Gc.Gen2}, {r.Gc.PausePerSecond:F0} ms, {r.Gc.MeanPause:F1} ms | {r.AllocatedKiBPerCheckout:F0} | {r.ClientGcs}, {r.ClientGcPausePerSecond:F1} ms |");
    Console.WriteLine("(Send lag: how late the load generator started a request against its schedule; it is inside the POST figures, which are of the creates answered 201. Other: any other answer, no answer, or a 201 not confirmed within a minute. Confirmed/s counts until the last confirmation. Every order also runs on to DELIVERED meanwhile, and its CPU is in the host's figure.)");
}

if (Runs("reads"))
{
    var seconds = Option("read-seconds", 10);
    var results = await LoadScenarios.ReadsAsync(200, 16, TimeSpan.FromSeconds(seconds));
    Console.WriteLine();
    Line($"## Reads alone: 200 DELIVERED orders read back to back by 16 clients ({seconds:F0} s per row, after a warm-up round)");
    Console.WriteLine("| endpoint | reads | reads/s | host CPU µs/read | p50 / p99 ms |");
    Console.WriteLine("|---|---|---|---|---|");
    foreach (var r in results)
        Line($"| {r.What} | {r.Reads} | {r.PerSecond:F0} | {r.CpuMicrosPerRead:F0} | {r.P50:F2} / {r.P99:F2} |");
}

if (Runs("azure-storage"))
{
    // Durable's Azure Storage backend on Azurite (in memory, free ports), each row on a fresh Azurite: first the floor
    // (trivial orchestrations, one activity, 8 at a time, the engine in this process with the row's tuning), then
    // checkouts against the local host with the same tuning. --azure-rows=default,local,p1,p4-1s picks rows
    // (AzureStorageRows), --azure-rounds=N the 8-client rounds (the last one is reported), --azure-poll-ms the clients'
    // polling, --azure-trivial-only skips the checkouts.
    var seconds = Option("azure-seconds", 20);
    var rounds = (int)Option("azure-rounds", 3);
    var pollMs = Option("azure-poll-ms", 50);
    var rowNames = args.FirstOrDefault(a => a.StartsWith("--azure-rows=", StringComparison.Ordinal)) is { } rs
        ? rs["--azure-rows=".Length..].Split(',') : ["default", "local"];
    var rows = AzureStorageRows.All.Where(r => rowNames.Contains(r.Key)).ToArray();
    LoadScenarios.WarmUpOrders = 20;
    LoadScenarios.WarmUpSeconds = 0; // rows are short on this backend; its own warm-up (above) holds the partitions
    Console.WriteLine();
    Line($"## Durable's Azure Storage backend over Azurite: trivial orchestrations and checkouts, 8 at a time ({seconds:F0} s per row)");
    Console.WriteLine("| tuning | trivial orch./s | trivial: process CPU / Azurite CPU ms per orch. | trivial p50 / p99 ms | checkouts | checkouts/s | × trivial | host CPU / Azurite CPU ms per checkout | create→CONFIRMED p50 / p99 ms | load avg |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
    var trivialNotes = new List<string>();
    try
    {
        foreach (var row in rows)
        {
            Limits.TrivialResult t;
            await using (var azurite = await AzuriteProcess.StartAsync())
                t = await Limits.TrivialOnAzureStorageAsync(azurite, row.Backend(azurite.ConnectionString), 8, TimeSpan.FromSeconds(Math.Max(5, seconds / 2)));
            if (args.Contains("--azure-trivial-only"))
            {
                Line($"| {row.Name} | {t.PerSecond:F1} | {t.ProcessCpuMs:F1} / {t.AzuriteCpuMs:F1} | {t.P50:F0} / {t.P99:F0} | | | | | | {File.ReadAllText("/proc/loadavg")[..14]} |");
                Line($"  storage requests per trivial orchestration: {t.RequestsPerOrchestration}; idle: {t.IdleRequestsPerSecond:F0}/s");
                continue;
            }
            await using (var azurite = await AzuriteProcess.StartAsync())
            {
                // The host's JIT keeps tiering up for minutes at this pace (dotnet-counters: 200–900 methods/s, JIT time
                // 0.3–0.9 s/s for the first minute): earlier rounds at the same load warm it up.
                // Then one round at 1 client (the latency without queueing behind other checkouts), then the 8-client
                // round that is reported. Clients poll their order every 50 ms here (not 10 ms): confirmation takes
                // seconds and every poll is a read the host's CPU pays for.
                var nodeMarks = new List<(DateTime At, TimeSpan Cpu)>();
                var all = await LoadScenarios.CheckoutsAsync([.. Enumerable.Repeat(8, Math.Max(0, rounds - 1)), 1, 8], TimeSpan.FromSeconds(seconds),
                    () => nodeMarks.Add((DateTime.UtcNow, azurite.CpuTime)), TimeSpan.FromMilliseconds(pollMs),
                    [$"--Orders:Durable:AzureStorage={azurite.ConnectionString}", .. row.HostSettings()]);
                var r = all[^1];
                var one = all[^2];
                var node = (azurite.CpuTime - nodeMarks[^1].Cpu).TotalMilliseconds / r.Checkouts;
                trivialNotes.Add($"{row.Name}: 1 client: {one.PerSecond:F1} checkouts/s, host CPU {one.CpuMsPerCheckout:F0} ms/checkout, create→CONFIRMED p50 / p99 {one.ConfirmP50:F0} / {one.ConfirmP99:F0} ms");
                // Azurite's CPU per checkout in each round (from one round's start to the next): it grows as the task
                // hub's tables and queues fill (Azurite's table queries scan every entity of the table).
                var nodePerRound = Enumerable.Range(0, all.Count).Select(i =>
                    ((i + 1 < nodeMarks.Count ? nodeMarks[i + 1].Cpu : azurite.CpuTime) - nodeMarks[i].Cpu).TotalMilliseconds / Math.Max(1, all[i].Checkouts)).ToArray();
                trivialNotes.Add($"{row.Name}: every round in order (clients: checkouts/s, host / Azurite CPU ms per checkout, p50): " + string.Join("; ", all.Select((w, i) =>
                    string.Create(inv, $"{w.Clients}: {w.PerSecond:F1}/s, {w.CpuMsPerCheckout:F0} / {nodePerRound[i]:F0} ms, p50 {w.ConfirmP50:F0} ms"))));
                trivialNotes.Add($"{row.Name}: storage requests per trivial orchestration: {t.RequestsPerOrchestration}; idle engine: {t.IdleRequestsPerSecond:F0} requests/s");
                Line($"| {row.Name} | {t.PerSecond:F1} | {t.ProcessCpuMs:F1} / {t.AzuriteCpuMs:F1} | {t.P50:F0} / {t.P99:F0} | {r.Checkouts} | {r.PerSecond:F1} | {r.PerSecond / t.PerSecond:F2} | {r.CpuMsPerCheckout:F1} / {node:F1} | {r.ConfirmP50:F0} / {r.ConfirmP99:F0} | {File.ReadAllText("/proc/loadavg")[..14]} |");
            }
        }
    }
    catch (InvalidOperationException e) when (e.Message.StartsWith("Azurite not found", StringComparison.Ordinal))
    {
        Console.WriteLine("not run: " + e.Message);
    }
    foreach (var note in trivialNotes) Console.WriteLine(note);
    LoadScenarios.WarmUpOrders = 200;
}

if (Runs("burst"))
{
    var seconds = Option("burst-seconds", 30);
    var r = await LoadScenarios.BurstAsync(64, TimeSpan.FromSeconds(seconds), TimeSpan.FromMinutes(5), (int)Option("max-sagas", 5000));
    Console.WriteLine();
    Line($"## Burst: 64 connections POST back to back for {r.Seconds:F0} s, then drain (UnpaidDeadline 1 min)");
    Console.WriteLine("| accepted | 503 refused | other failures | creates/s | POST p50 / p99 ms | host CPU ms/order (burst+drain) | drain s | statuses at the end |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|");
    Line($"| {r.Accepted} | {r.Refused503} | {r.OtherFailures} | {r.CreatesPerSecond:F0} | {r.PostP50:F1} / {r.PostP99:F1} | {r.CpuMsPerOrder:F2} | {r.DrainSeconds:F1} | {string.Join(", ", r.Statuses.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"))} |");
    Console.WriteLine($"engine after the burst: {r.Engine}");
    Console.WriteLine($"engine after the drain: {r.EngineAfterDrain}");
    Console.WriteLine($"auto-cancel run after the drain: {r.AutoCancel}");
}
if (Runs("import")) await ImportBenchmark.RunAsync(20_000, 5);

if (Runs("lag"))
{
    var r = await LoadScenarios.ReadModelLagAsync((int)Option("lag-samples", 300));
    Console.WriteLine();
    Console.WriteLine("## Read-model lag: create answered → the buyer's list shows the order (1 client, polled every 1 ms)");
    Line($"| samples {r.Samples} | p50 {r.P50:F1} ms | p99 {r.P99:F1} ms | max {r.Max:F1} ms |");
}

if (Runs("soak"))
{
    var minutes = Option("soak-minutes", 10);
    var rate = (int)Option("soak-rate", 100);
    var retention = TimeSpan.FromMinutes(Option("soak-retention-minutes", 1));
    var r = await LoadScenarios.SoakAsync(TimeSpan.FromMinutes(minutes), rate, retention);
    Console.WriteLine();
    Line($"## Soak: {rate} creates/s for {r.Seconds / 60:F1} min (each order runs to DELIVERED), Sagas:Retention = Simulators:Retention = {retention}");
    Line($"| created {r.Created} | refused {r.Refused} | RSS start {r.RssStartMiB:F0} MiB | end {r.RssEndMiB:F0} MiB | max {r.RssMaxMiB:F0} MiB | slope over the last {r.SlopeWindowMinutes:F1} min: {r.SlopeMiBPerMinute:F2} MiB/min |");
    Console.WriteLine("RSS samples (minute: MiB): " + string.Join(", ", r.Samples.Select(s => string.Create(inv, $"{s.Minute:F1}: {s.RssMiB:F0}"))));
    Console.WriteLine($"engine at the end: {r.Engine}");
    Console.WriteLine($"purge run at the end: {r.Purge}");
}
