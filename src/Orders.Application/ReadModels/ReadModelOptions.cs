namespace Orders.Application.ReadModels;

/// <summary>How the read models judge and bound what they answer.</summary>
public sealed record ReadModelOptions
{
    /// <summary>How long a seller may take to ship a paid (or, for COD, confirmed) order before it counts as late.</summary>
    public TimeSpan ShippingServiceLevel { get; init; } = TimeSpan.FromHours(48);

    /// <summary>
    /// How many waiting orders a dashboard lists (the oldest, the most urgent). The late count covers all of them.
    /// </summary>
    public int MaxAwaitingShipments { get; init; } = 100;
}
