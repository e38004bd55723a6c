using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using CsCheck;
using Orders.Domain.Common;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;
using Xunit.Abstractions;
using static Orders.Domain.Tests.TestSupport.TestOrders;

namespace Orders.Domain.Tests.OrderAggregate.Model;

/// <summary>
/// Thousands of random command sequences run against the real order and against <see cref="OrderModel"/>: they must
/// agree on every verdict (recorded / already done / refused), every status and every counter, and the history must
/// verify after every step. The test also proves that the sequences walked every edge of the state machine.
/// </summary>
public sealed class OrderModelPropertyTests(ITestOutputHelper output)
{
    private const int Sequences = 5_000;

    private static readonly ShippingAddress[] Addresses =
        [Home, Office, new("Grace Hopper", "7 Compiler Road", null, "Arlington", "22201", "US")];

    [Fact]
    public void RandomCommandSequences_NeverDivergeFromTheModel_AndWalkEveryEdge()
    {
        var edges = new ConcurrentDictionary<(OrderStatus, OrderStatus), int>();
        long sequences = 0, commands = 0;

        Scenario.Gen_.Sample(scenario =>
        {
            Interlocked.Increment(ref sequences);
            Interlocked.Add(ref commands, Run(scenario, edges));
        }, iter: Sequences);

        // The model knows the ordinary commands, not yet the operator resolutions (decision 0016): the one edge only a
        // resolution reaches, SHIPPED -> REFUNDED (a lost parcel refunded), is walked by LostParcelTests instead.
        (OrderStatus From, OrderStatus To)[] all = [.. OrderStateMachine.AllEdges.Except([(OrderStatus.Shipped, OrderStatus.Refunded)])];
        var covered = all.Count(e => edges.ContainsKey(e));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"edges covered: {covered}/{all.Length}, sequences: {sequences}, commands: {commands}"));
        foreach (var edge in all.OrderBy(e => e)) output.WriteLine($"  {edge.From} -> {edge.To}: {edges.GetValueOrDefault(edge)}");
        var missing = all.Where(e => !edges.ContainsKey(e)).ToArray();
        Assert.True(missing.Length == 0, $"edges never walked: {string.Join(", ", missing)}");
        Assert.True(edges.Keys.All(e => OrderStateMachine.IsAllowed(e.Item1, e.Item2)), "a status change outside the state machine was recorded");
    }

    /// <summary>
    /// Entry times never go backwards within an order, whatever the clocks of those who send the commands: random
    /// command sequences where each command's time is jittered up to two seconds either way (another host's clock, an
    /// orchestration's replayed time, another domain's time) record every entry at the later of the command's time and
    /// the previous entry's; a payment keeps the payments domain's own capture time beside the entry's time, unchanged.
    /// </summary>
    [Fact]
    public void RandomSagas_WithClocksThatDisagree_NeverRecordTimeGoingBackwards()
    {
        long entries = 0, clamped = 0;
        Scenario.Gen_.Select(Gen.Int[-2000, 2000].Array[64], (scenario, jitter) => (scenario, jitter)).Sample(t =>
        {
            var (scenario, jitter) = t;
            var now = T0;
            var order = Order.Create(scenario.ToNewOrder(), Context(now, "create")).Unwrap();
            var model = OrderModel.New(scenario.Type, scenario.ExpectedTotal, scenario.Sellers, ReturnWindow);
            var trace = new StringBuilder();
            for (var i = 0; i < scenario.Steps.Length; i++)
            {
                var step = scenario.Steps[i];
                now += step.Advance;
                var clock = now + TimeSpan.FromMilliseconds(jitter[i % jitter.Length]);
                var command = Choose(step, model, now);
                var context = Context(clock, "c" + i.ToString(CultureInfo.InvariantCulture), Actor.System("property"));
                var (_, next) = model.Decide(command, clock);
                var before = order.History[^1];
                var capturedAt = clock - TimeSpan.FromSeconds(1);
                var rejection = command.Kind == CommandKind.MarkPaid
                    ? order.MarkPaid(command.Id!, Money.Of(command.Amount, scenario.Currency), context, capturedAt)
                    : Execute(order, command, context, scenario.Currency, out _);
                trace.AppendLine(CultureInfo.InvariantCulture, $"{clock:O} {command}: {rejection?.Code ?? "ok"}, {order.Version} entries");
                if (order.History[^1] != before)
                {
                    var entry = order.History[^1];
                    Interlocked.Increment(ref entries);
                    if (clock < before.At) Interlocked.Increment(ref clamped);
                    Check(entry.At == (clock < before.At ? before.At : clock), trace, () => $"entry {entry.Sequence} at {entry.At:O} for a command at {clock:O} after {before.At:O}");
                    if (entry.Event is Orders.Domain.Events.OrderPaid paid)
                        Check(paid.CapturedAt == capturedAt, trace, () => $"the capture time {paid.CapturedAt:O} is not the payments domain's {capturedAt:O}");
                }
                model = next;
                for (var e = 1; e < order.History.Count; e++)
                    Check(order.History[e].At >= order.History[e - 1].At, trace, () => $"entry {e + 1} is earlier than entry {e}");
                Check(order.VerifyHistory().IsIntact, trace, "the history does not verify");
            }
        }, iter: 2_000);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"entries recorded: {entries}, of which at the previous entry's time: {clamped}"));
        Assert.True(clamped > 0, "no command came with a clock behind the order's: the property was not exercised");
    }

    /// <summary>Runs one sequence; returns the number of commands sent.</summary>
    private static int Run(Scenario scenario, ConcurrentDictionary<(OrderStatus, OrderStatus), int> edges)
    {
        var trace = new StringBuilder();
        var now = T0;
        var order = Order.Create(scenario.ToNewOrder(), Context(now, "create")).Unwrap();
        var model = OrderModel.New(scenario.Type, scenario.ExpectedTotal, scenario.Sellers, ReturnWindow);
        Check(order.Total.Minor == model.Total, trace, () => $"total {order.Total} but the lines and fee make {model.Total}");
        var sent = 0;

        foreach (var step in scenario.Steps)
        {
            now += step.Advance;
            var command = Choose(step, model, now);
            var context = Context(now, "c" + sent.ToString(CultureInfo.InvariantCulture), Actor.System("property"));
            var (expected, next) = model.Decide(command, now);
            var versionBefore = order.Version;
            var statusBefore = order.Status;
            trace.Append(CultureInfo.InvariantCulture, $"{now:O} {command} in {statusBefore}: model says {expected}");

            var rejection = Execute(order, command, context, scenario.Currency, out var split);
            sent++;

            var actual = rejection is not null ? Verdict.Refused
                : order.Version == versionBefore + 1 ? Verdict.Recorded
                : order.Version == versionBefore ? Verdict.AlreadyDone
                : throw new InvalidOperationException($"{order.Version - versionBefore} entries appended by one command\n{trace}");
            trace.AppendLine(CultureInfo.InvariantCulture, $", order says {actual} {rejection?.Code}");
            Check(actual == expected, trace, "verdicts differ");
            Check(order.Status == next.Status, trace, () => $"status {order.Status}, model {next.Status}");
            Check(order.AmountPaid.Minor == next.Paid, trace, () => $"paid {order.AmountPaid}, model {next.Paid}");
            Check(order.AmountRefunded.Minor == next.RefundedAmount, trace, () => $"refunded {order.AmountRefunded}, model {next.RefundedAmount}");
            Check(order.RefundableAmount.Minor == next.Refundable, trace, () => $"refundable {order.RefundableAmount}, model {next.Refundable}");
            Check(order.PendingRefunds.Count() == next.Refunds.Count(r => !r.Completed), trace, "pending refunds differ");
            Check(order.DeliveredAt == next.DeliveredAt, trace, () => $"delivered at {order.DeliveredAt}, model {next.DeliveredAt}");
            Check((order.Payment?.CollectedOnDelivery ?? false) == next.CashRecorded, trace, "cash recorded differs");
            Check(order.ShippingAddress == Addresses[next.Address], trace, "address differs");
            var verification = order.VerifyHistory();
            Check(verification.IsIntact, trace, () => $"history broken: {verification.Problem}");

            if (actual == Verdict.Recorded)
            {
                var entry = order.History[^1];
                Check(entry.From == statusBefore && entry.To == next.Status && entry.At == now
                    && entry.CausationId == context.CausationId && entry.Actor == context.Actor, trace, "the new entry does not describe the command");
                if (entry.From != entry.To) edges.AddOrUpdate((statusBefore, entry.To), 1, (_, n) => n + 1);
            }
            model = next;

            if (split is { Children.Count: > 0 })
            {
                // Follow one child from here: it is an order of its own, CREATED, for one seller.
                Check(split.Children.Count == model.Sellers, trace, "one child per seller");
                Check(split.Children.Sum(c => c.Total.Minor) == model.Total, trace, "the children's totals do not sum to the parent's");
                order = split.Children[scenario.ChildPick % split.Children.Count];
                Check(order.Status == OrderStatus.Created && order.Version == 1 && order.VerifyHistory().IsIntact, trace, "a child is not a new order");
                model = OrderModel.New(scenario.Type, order.Total.Minor, 1, ReturnWindow) with { Address = model.Address };
                trace.AppendLine(CultureInfo.InvariantCulture, $"following child {order.Id} ({order.Total})");
            }
        }
        return sent;
    }

    private static void Check(bool condition, StringBuilder trace, string problem)
    {
        if (!condition) throw new InvalidOperationException($"{problem}\n{trace}");
    }

    private static void Check(bool condition, StringBuilder trace, Func<string> problem)
    {
        if (!condition) throw new InvalidOperationException($"{problem()}\n{trace}");
    }

    /// <summary>The step's own random command, or (guided) one the model expects to record a fact.</summary>
    private static ModelCommand Choose(Step step, OrderModel model, DateTimeOffset now)
    {
        if (step.Guided)
        {
            var byKind = Templates
                .Select(t => t.Resolve(model))
                .Where(c => model.Decide(c, now).Verdict == Verdict.Recorded)
                .GroupBy(c => c.Kind)
                .ToArray();
            if (byKind.Length > 0)
            {
                var kind = byKind[step.Pick % byKind.Length].ToArray();
                return kind[step.Pick / byKind.Length % kind.Length];
            }
        }
        return Template.Of(step.Kind, step.IdIndex, step.Variant, step.Amount).Resolve(model);
    }

    /// <summary>Every distinct command the pools can make, with its amount still to be resolved against the model.</summary>
    private static readonly Template[] Templates =
        (from kind in Enum.GetValues<CommandKind>()
         from id in new[] { 0, 1, 2 }
         from variant in new[] { 0, 1, 2 }
         from amount in Enum.GetValues<AmountKind>()
         select Template.Of(kind, id, variant, amount)).Distinct().ToArray();

    private sealed record Template(CommandKind Kind, string? Id, string? OtherId, AmountKind? Amount, int Address)
    {
        public static Template Of(CommandKind kind, int id, int variant, AmountKind amount) => kind switch
        {
            CommandKind.Confirm => new(kind, $"res-{id % 2}", variant == 2 ? null : $"auth-{variant}", null, 0),
            CommandKind.MarkPaid => new(kind, $"pay-{id % 2}", null, amount, 0),
            CommandKind.Ship => new(kind, $"ship-{id % 2}", $"TRK-{variant % 2}", null, 0),
            CommandKind.Deliver => new(kind, $"ship-{id % 2}", null, null, 0),
            CommandKind.RecordCashCollected => new(kind, $"cash-{id % 2}", null, amount, 0),
            CommandKind.RequestRefund => new(kind, $"refund-{id}", null, amount, 0),
            CommandKind.RecordRefund => new(kind, $"refund-{id}", null, null, 0),
            CommandKind.ChangeShippingAddress => new(kind, null, null, null, variant),
            _ => new(kind, null, null, null, 0),
        };

        public ModelCommand Resolve(OrderModel model) => new(Kind, Id, OtherId, Amount switch
        {
            null => 0,
            AmountKind.Total => model.Total,
            AmountKind.Half => model.Total / 2,
            AmountKind.One => 1,
            AmountKind.Rest => model.Refundable,
            AmountKind.Excess => model.Total + 1,
            _ => 0,
        }, Address);
    }

    private static Rejection? Execute(Order order, ModelCommand c, CommandContext context, Currency currency, out SplitOutcome? split)
    {
        split = null;
        var amount = Money.Of(c.Amount, currency);
        switch (c.Kind)
        {
            case CommandKind.Confirm: return order.Confirm(c.Id!, c.OtherId, context);
            case CommandKind.Cancel: return order.Cancel("property test", context);
            case CommandKind.MarkPaid: return order.MarkPaid(c.Id!, amount, context);
            case CommandKind.Ship: return order.Ship(c.Id!, Carrier, c.OtherId!, context);
            case CommandKind.Deliver: return order.Deliver(c.Id!, context);
            case CommandKind.RecordCashCollected: return order.RecordCashCollected(c.Id!, amount, context);
            case CommandKind.RequestRefund: return order.RequestRefund(c.Id!, amount, "property test", context);
            case CommandKind.RecordRefund: return order.RecordRefund(c.Id!, context);
            case CommandKind.Close: return order.Close(context);
            case CommandKind.ChangeShippingAddress: return order.ChangeShippingAddress(Addresses[c.Address], context);
            case CommandKind.Split:
                var result = order.Split(context);
                split = result.Value;
                return result.Rejection;
            default: throw new ArgumentOutOfRangeException(nameof(c));
        }
    }
}
