using Azure.Core;
using Azure.Identity;
using Microsoft.Azure.Cosmos;

namespace Orders.Infrastructure.Cosmos;

/// <summary>
/// Builds the <see cref="CosmosClient"/> the store needs: System.Text.Json with <see cref="CosmosJson.Options"/> (the
/// document classes are shaped for it; the SDK's default Newtonsoft serializer would ignore their names).
/// Production signs in with a token credential and no keys; a key is for the emulator.
/// </summary>
public static class CosmosClientFactory
{
    public static CosmosClient Create(CosmosStoreOptions options, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var endpoint))
            throw new InvalidOperationException("CosmosDb:Endpoint must be an absolute URI (e.g. https://localhost:8081 for the emulator).");
        var clientOptions = ClientOptions(endpoint, usesKey: !string.IsNullOrEmpty(options.Key));
        return string.IsNullOrEmpty(options.Key)
            ? new CosmosClient(endpoint.AbsoluteUri, credential ?? new DefaultAzureCredential(), clientOptions)
            : new CosmosClient(endpoint.AbsoluteUri, options.Key, clientOptions);
    }

    /// <summary>
    /// The client options. For a key-authenticated loopback endpoint (the emulator in Docker): gateway mode (the
    /// emulator's direct-mode ports are not published by its container), no region discovery, and its self-signed
    /// certificate accepted — for loopback only; anything else gets normal certificate validation.
    /// </summary>
    public static CosmosClientOptions ClientOptions(Uri endpoint, bool usesKey)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var options = new CosmosClientOptions
        {
            ApplicationName = "orders",
            UseSystemTextJsonSerializerWithOptions = CosmosJson.Options,
        };
        if (usesKey && endpoint.IsLoopback)
        {
            options.ConnectionMode = ConnectionMode.Gateway;
            options.LimitToEndpoint = true;
            options.ServerCertificateCustomValidationCallback = (_, _, _) => true;
        }
        return options;
    }
}
