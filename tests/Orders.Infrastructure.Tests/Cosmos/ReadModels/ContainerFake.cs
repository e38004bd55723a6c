using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using Moq;
using Orders.Infrastructure.Cosmos;
using static Orders.Infrastructure.Tests.Cosmos.CosmosFakes;

namespace Orders.Infrastructure.Tests.Cosmos.ReadModels;

/// <summary>
/// A Moq'd <see cref="Container"/> that keeps documents, so that a whole behaviour suite can run against an adapter:
/// point reads, creates (409 when the id exists), replaces under <c>IfMatchEtag</c> (412 when the ETag moved), deletes,
/// a fresh ETag per write, and the partition key header checked against the document's <c>/partitionKey</c>, as the
/// service does. Queries are not parsed: each query shape the adapters send is recognised by its text and evaluated
/// here with the Cosmos DB semantics it relies on (single-partition scope, string comparison of instants, undefined
/// properties dropping out of comparisons), and answered in pages of <c>MaxItemCount</c>. An unknown query fails the
/// test. The exact texts, parameters and options are pinned by the focused tests next to this file.
/// </summary>
internal sealed class ContainerFake
{
    private readonly Dictionary<(string Partition, string Id), (JsonObject Document, string ETag)> _items = [];
    private int _etags;

    public ContainerFake()
    {
        Mock = new Mock<Container>(MockBehavior.Strict);
    }

    public Mock<Container> Mock { get; }

    public Container Object => Mock.Object;

    /// <summary>Runs once, just before the next write is applied: another writer getting in between a read and a write.</summary>
    public Action? BeforeNextWrite { get; set; }

    public int Writes { get; private set; }

    public List<(string Text, IReadOnlyList<(string Name, object Value)> Parameters, QueryRequestOptions Options)> Queries { get; } = [];

    public IEnumerable<JsonObject> Documents => _items.Values.Select(v => v.Document);

    /// <summary>Lets the container read, write and query documents of type <typeparamref name="T"/>.</summary>
    public ContainerFake Serves<T>()
    {
        Mock.Setup(c => c.ReadItemAsync<T>(It.IsAny<string>(), It.IsAny<PartitionKey>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .Returns((string id, PartitionKey key, ItemRequestOptions _, CancellationToken _) => Read<T>(id, key));
        Mock.Setup(c => c.CreateItemAsync(It.IsAny<T>(), It.IsAny<PartitionKey?>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .Returns((T item, PartitionKey? key, ItemRequestOptions _, CancellationToken _) => Write(item, null, key, null, create: true));
        Mock.Setup(c => c.UpsertItemAsync(It.IsAny<T>(), It.IsAny<PartitionKey?>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .Returns((T item, PartitionKey? key, ItemRequestOptions options, CancellationToken _) => Write(item, null, key, options?.IfMatchEtag, create: false, upsert: true));
        Mock.Setup(c => c.ReplaceItemAsync(It.IsAny<T>(), It.IsAny<string>(), It.IsAny<PartitionKey?>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .Returns((T item, string id, PartitionKey? key, ItemRequestOptions options, CancellationToken _) => Write(item, id, key, options?.IfMatchEtag, create: false));
        Mock.Setup(c => c.DeleteItemAsync<T>(It.IsAny<string>(), It.IsAny<PartitionKey>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .Returns((string id, PartitionKey key, ItemRequestOptions options, CancellationToken _) => Delete<T>(id, key, options?.IfMatchEtag));
        Mock.Setup(c => c.GetItemQueryIterator<T>(It.IsAny<QueryDefinition>(), It.IsAny<string>(), It.IsAny<QueryRequestOptions>()))
            .Returns((QueryDefinition query, string _, QueryRequestOptions options) => Query<T>(query, options));
        return this;
    }

    public JsonObject? Stored(string partition, string id) =>
        _items.TryGetValue((Key(new PartitionKey(partition)), id), out var stored) ? stored.Document : null;

    private Task<ItemResponse<T>> Read<T>(string id, PartitionKey key)
    {
        if (!_items.TryGetValue((Key(key), id), out var stored)) return Task.FromException<ItemResponse<T>>(NotFound());
        var json = (JsonObject)stored.Document.DeepClone();
        json["_etag"] = stored.ETag;
        json["_ts"] = 1_700_000_000;
        return Task.FromResult(Item(json.Deserialize<T>(CosmosJson.Options)!, stored.ETag));
    }

    private Task<ItemResponse<T>> Write<T>(T item, string? id, PartitionKey? key, string? ifMatch, bool create, bool upsert = false)
    {
        var hook = BeforeNextWrite;
        BeforeNextWrite = null;
        hook?.Invoke();

        var document = JsonSerializer.SerializeToNode(item, CosmosJson.Options)!.AsObject();
        var documentId = (string?)document["id"] ?? throw new InvalidOperationException("A document without an id.");
        if (id is not null && id != documentId) return Task.FromException<ItemResponse<T>>(Failed(HttpStatusCode.BadRequest));
        if (key is not { } partitionKey) throw new InvalidOperationException("The adapter must always send the partition key.");
        var partition = Key(partitionKey);
        if (document["partitionKey"] is not { } value || Key(new PartitionKey((string?)value)) != partition)
            return Task.FromException<ItemResponse<T>>(Failed(HttpStatusCode.BadRequest)); // the header must match the document
        if (document.ContainsKey("_etag")) throw new InvalidOperationException("A document was written with an _etag.");

        var exists = _items.TryGetValue((partition, documentId), out var stored);
        if (create && exists) return Task.FromException<ItemResponse<T>>(Failed(HttpStatusCode.Conflict));
        if (!create && !upsert && !exists) return Task.FromException<ItemResponse<T>>(NotFound());
        if (ifMatch is not null && (!exists || stored.ETag != ifMatch)) return Task.FromException<ItemResponse<T>>(Failed(HttpStatusCode.PreconditionFailed));

        var etag = $"\"etag-{++_etags}\"";
        _items[(partition, documentId)] = (document, etag);
        Writes++;
        return Task.FromResult(Item(item, etag));
    }

    private Task<ItemResponse<T>> Delete<T>(string id, PartitionKey key, string? ifMatch)
    {
        var hook = BeforeNextWrite;
        BeforeNextWrite = null;
        hook?.Invoke();
        if (!_items.TryGetValue((Key(key), id), out var stored)) return Task.FromException<ItemResponse<T>>(NotFound());
        if (ifMatch is not null && stored.ETag != ifMatch) return Task.FromException<ItemResponse<T>>(Failed(HttpStatusCode.PreconditionFailed));
        _items.Remove((Key(key), id));
        Writes++;
        return Task.FromResult(Item(default(T)!, ""));
    }

    private FeedIterator<T> Query<T>(QueryDefinition query, QueryRequestOptions options)
    {
        var parameters = query.GetQueryParameters();
        Queries.Add((query.QueryText, parameters, options));
        if (options?.PartitionKey is not { } partitionKey) throw new InvalidOperationException($"A cross-partition query: {query.QueryText}");
        var partition = Key(partitionKey);
        var p = parameters.ToDictionary(x => x.Name, x => x.Value);
        var inPartition = _items.Where(i => i.Key.Partition == partition).Select(i => i.Value.Document)
            .Where(d => (string?)d["type"] == (string)p["@type"]).ToList();
        var text = query.QueryText;

        List<JsonNode?> rows;
        if (text.StartsWith("SELECT TOP @take VALUE c.item FROM c WHERE c.type = @type", StringComparison.Ordinal))
        {
            rows = [.. inPartition
                .Where(d => !p.TryGetValue("@status", out var status) || (string?)d["status"] == (string)status)
                .Where(d => !p.TryGetValue("@afterCreatedAt", out var created)
                            || string.CompareOrdinal((string)d["createdAt"]!, (string)created) < 0
                            || ((string)d["createdAt"]! == (string)created && string.CompareOrdinal((string)d["orderId"]!, (string)p["@afterOrderId"]) > 0))
                .OrderByDescending(d => (string)d["createdAt"]!, StringComparer.Ordinal).ThenBy(d => (string)d["orderId"]!, StringComparer.Ordinal)
                .Take((int)p["@take"])
                .Select(d => d["item"]!.DeepClone())];
        }
        else if (text.Contains("GROUP BY c.status, c.currency", StringComparison.Ordinal))
        {
            rows = [.. inPartition.GroupBy(d => ((string)d["status"]!, (string)d["currency"]!))
                .Select(g => (JsonNode?)new JsonObject
                {
                    ["status"] = g.Key.Item1,
                    ["currency"] = g.Key.Item2,
                    ["orders"] = g.Count(),
                    ["valueMinor"] = (double)g.Sum(d => (long)d["valueMinor"]!), // the service sums doubles
                })];
        }
        else if (text.Contains("IS_DEFINED(c.readySince)", StringComparison.Ordinal))
        {
            rows = [.. inPartition.Where(d => d.ContainsKey("readySince"))
                .OrderBy(d => (string)d["readySince"]!, StringComparer.Ordinal).ThenBy(d => (string)d["orderId"]!, StringComparer.Ordinal)
                .Take((int)p["@max"])
                .Select(d => (JsonNode?)new JsonObject { ["orderId"] = (string)d["orderId"]!, ["version"] = (long)d["version"]!, ["readySince"] = (string)d["readySince"]! })];
        }
        else if (text.StartsWith("SELECT VALUE COUNT(1) FROM c WHERE c.type = @type AND c.readySince < @lateBefore", StringComparison.Ordinal))
        {
            // A comparison with an undefined property is undefined: documents without readySince drop out.
            rows = [JsonValue.Create(inPartition.Count(d => d["readySince"] is JsonValue ready
                && string.CompareOrdinal((string)ready!, (string)p["@lateBefore"]) < 0))];
        }
        else if (text.Contains("ORDER BY c.detectedAt ASC, c.orderId ASC", StringComparison.Ordinal))
        {
            rows = [.. inPartition
                .OrderBy(d => (string)d["detectedAt"]!, StringComparer.Ordinal).ThenBy(d => (string)d["orderId"]!, StringComparer.Ordinal)
                .Take((int)p["@max"])
                .Select(d => (JsonNode?)d.DeepClone())];
        }
        else
        {
            throw new InvalidOperationException($"The fake container does not know this query: {text}");
        }

        var results = rows.Select(r => r is null ? default! : r.Deserialize<T>(CosmosJson.Options)!).ToArray();
        var size = options.MaxItemCount is { } max and > 0 ? max : Math.Max(1, results.Length);
        var pages = results.Chunk(size).Select(chunk => Page(HttpStatusCode.OK, null, chunk)).ToArray();
        return Iterator(pages.Length == 0 ? [Page<T>(HttpStatusCode.OK, null)] : pages);
    }

    private static string Key(PartitionKey key) => key.ToString();
}
