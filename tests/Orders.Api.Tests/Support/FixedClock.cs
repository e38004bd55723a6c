namespace Orders.Api.Tests.Support;

/// <summary>A clock the test moves by hand.</summary>
public sealed class FixedClock : TimeProvider
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public DateTimeOffset Now { get; set; } = T0;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
