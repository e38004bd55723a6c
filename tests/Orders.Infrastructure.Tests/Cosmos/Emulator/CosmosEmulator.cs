namespace Orders.Infrastructure.Tests.Cosmos.Emulator;

/// <summary>
/// Whether a Cosmos DB account or emulator was given: <c>ORDERS_COSMOS_ENDPOINT</c> (e.g. https://localhost:8081) and,
/// for the emulator, <c>ORDERS_COSMOS_KEY</c> (without a key the tests sign in with DefaultAzureCredential).
/// </summary>
public static class CosmosEmulator
{
    public const string EndpointVariable = "ORDERS_COSMOS_ENDPOINT";

    public const string KeyVariable = "ORDERS_COSMOS_KEY";

    public static string? Endpoint => Value(EndpointVariable);

    public static string? Key => Value(KeyVariable);

    public static bool IsConfigured => Endpoint is not null;

    public static string NotRunReason =>
        $"Not run: no Cosmos DB. Set {EndpointVariable} (and {KeyVariable} for the emulator) to run the store conformance suite against it.";

    private static string? Value(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}

/// <summary>
/// A theory that runs only against a configured Cosmos DB: without <c>ORDERS_COSMOS_ENDPOINT</c> it is reported as
/// skipped, with the reason (never as passed), and opens no connection.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class CosmosEmulatorTheoryAttribute : TheoryAttribute
{
    public CosmosEmulatorTheoryAttribute()
    {
        if (!CosmosEmulator.IsConfigured) Skip = CosmosEmulator.NotRunReason;
    }
}
