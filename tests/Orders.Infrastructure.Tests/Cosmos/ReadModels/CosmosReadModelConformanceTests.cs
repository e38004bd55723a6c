using Orders.Application.ReadModels;
using Orders.Infrastructure.Cosmos.ReadModels;
using Orders.ReadModels.Tests;

namespace Orders.Infrastructure.Tests.Cosmos.ReadModels;

/// <summary>
/// The read-model behaviour suite that the in-memory and SQLite stores pass (tests/Orders.ReadModels.Tests), run
/// against <see cref="CosmosReadModelStore"/> over a document-keeping Moq'd container (<see cref="ContainerFake"/>):
/// conditional puts, newest-first keyset pages, the dashboard, replay and crash convergence. What the fake cannot
/// prove (the service's own query engine and indexes) is what the emulator run is for.
/// </summary>
public sealed class CosmosReadModelConformanceTests : ReadModelTests
{
    protected override IReadModelStore CreateStore(ReadModelOptions? options = null) => new CosmosReadModelStore(Container().Object, options);

    internal static ContainerFake Container() => new ContainerFake()
        .Serves<CosmosOrderDetailDocument>()
        .Serves<CosmosBuyerOrderDocument>()
        .Serves<CosmosSellerOrderDocument>()
        .Serves<CosmosSellerTotalRow>()
        .Serves<CosmosAwaitingRow>()
        .Serves<string>()
        .Serves<long>();
}
