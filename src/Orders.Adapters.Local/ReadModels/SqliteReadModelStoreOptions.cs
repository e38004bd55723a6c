using Orders.Application.ReadModels;

namespace Orders.Infrastructure.ReadModels;

public sealed record SqliteReadModelStoreOptions
{
    /// <summary>
    /// The database file; created with its folder if missing. Its own file by default, so the read models can be
    /// dropped and rebuilt from the change log without touching the orders. (Its tables and migration table have
    /// their own names, so sharing the order store's file also works.)
    /// </summary>
    public required string Path { get; init; }

    public ReadModelOptions ReadModels { get; init; } = new();
}
