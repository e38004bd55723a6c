using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Orders.Infra.Tests.Arm;

/// <summary>
/// Proves, from the compiled ARM template alone, what the application code assumes about its cloud environment.
/// Every check returns the problems it found (empty = the template is right); it never throws for a wrong template,
/// so a test can run it against a deliberately broken copy and see the problem reported.
/// </summary>
public sealed partial class InfraChecker
{
    // ----- The documented differences between local.settings.sample.json and the cloud -----------------------------

    /// <summary>
    /// FUNCTIONS_WORKER_RUNTIME is not an app setting on Flex Consumption (the platform rejects it): the worker runtime
    /// is declared by functionAppConfig.runtime.name, which must carry the sample's value.
    /// </summary>
    public const string WorkerRuntimeKey = "FUNCTIONS_WORKER_RUNTIME";

    /// <summary>
    /// AzureWebJobsStorage is provisioned in its identity-based form: AzureWebJobsStorage__accountName (the function
    /// app's storage account) and AzureWebJobsStorage__credential = managedidentity, never as a connection string.
    /// </summary>
    public const string StorageKey = "AzureWebJobsStorage";

    /// <summary>Settings whose cloud value is read from a resource the template creates, instead of the local value.</summary>
    public static readonly IReadOnlyDictionary<string, (string ResourceType, string Property)> EndpointSettings =
        new Dictionary<string, (string, string)>(StringComparer.Ordinal)
        {
            ["CosmosDb__Endpoint"] = ("Microsoft.DocumentDB/databaseAccounts", "properties.documentEndpoint"),
            ["ServiceBus__FullyQualifiedNamespace"] = ("Microsoft.ServiceBus/namespaces", "properties.serviceBusEndpoint"),
            ["ServiceBusConnection__fullyQualifiedNamespace"] = ("Microsoft.ServiceBus/namespaces", "properties.serviceBusEndpoint"),
        };

    /// <summary>
    /// Settings the cloud adds that the sample does not have: identity-based connections naming the user-assigned
    /// identity, the identity for DefaultAzureCredential, telemetry.
    /// </summary>
    public static readonly IReadOnlySet<string> CloudOnlySettings = new HashSet<string>(StringComparer.Ordinal)
    {
        "AzureWebJobsStorage__accountName",
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__clientId",
        "ServiceBusConnection__credential",
        "ServiceBusConnection__clientId",
        "AZURE_CLIENT_ID",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
    };

    /// <summary>
    /// Setting suffixes that give an identity-based connection its endpoint (Functions: "connection__property"); the
    /// part before them names the connection, which then needs __credential and __clientId.
    /// </summary>
    public static readonly IReadOnlyList<string> ConnectionEndpointSuffixes =
        ["__accountName", "__fullyQualifiedNamespace", "__serviceUri", "__blobServiceUri", "__queueServiceUri", "__tableServiceUri", "__accountEndpoint"];

    /// <summary>The longest Durable queue polling interval the Durable documentation allows on Flex Consumption.</summary>
    public static readonly TimeSpan MaxDurablePollingOnFlex = TimeSpan.FromSeconds(10);

    /// <summary>When the sagas first re-send an unanswered request (SagaOptions.ResendAfter's default, unless Sagas__ResendAfter is set).</summary>
    public static readonly TimeSpan SagasFirstResend = TimeSpan.FromSeconds(30);

    /// <summary>Built-in Azure RBAC roles the app's identity needs, and the resource type each must be scoped to.</summary>
    public static readonly IReadOnlyList<(string Guid, string Role, string ScopeType)> RequiredRoles =
    [
        ("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Storage Blob Data Owner", "Microsoft.Storage/storageAccounts"),
        ("974c5e8b-45b9-4653-ba55-5f855dd0fb88", "Storage Queue Data Contributor", "Microsoft.Storage/storageAccounts"),
        ("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "Storage Table Data Contributor", "Microsoft.Storage/storageAccounts"),
        ("69a216fc-b8fb-44d8-bc22-1f3c2cd27a39", "Azure Service Bus Data Sender", "Microsoft.ServiceBus/namespaces"),
        ("4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0", "Azure Service Bus Data Receiver", "Microsoft.ServiceBus/namespaces"),
        ("3913510d-42f4-4e42-8a64-420c390055eb", "Monitoring Metrics Publisher", "Microsoft.Insights/components"),
    ];

    /// <summary>Cosmos DB Built-in Data Contributor, a data-plane role definition of every account.</summary>
    public const string CosmosDataContributorRole = "00000000-0000-0000-0000-000000000002";

    /// <summary>The containers the code uses (by the setting that names them) and the partition key it writes with.</summary>
    public static readonly IReadOnlyList<(string Setting, string PartitionKey)> Containers =
    [
        ("CosmosDb__OrdersContainer", "/orderId"),
        ("CosmosDb__ReadModelsContainer", "/partitionKey"),
        ("CosmosDb__LeasesContainer", "/id"),
    ];

    /// <summary>
    /// What the read-model queries filter and sort on (src/Orders.Adapters.Azure/Cosmos/ReadModels,
    /// CosmosReadModelContainer declares the same): every path must be indexed, and every multi-property ORDER BY needs
    /// its composite index, or Cosmos DB refuses the query. Keep the two in step.
    /// </summary>
    public static readonly IReadOnlyList<string> ReadModelQueriedPaths =
        ["/type/?", "/status/?", "/createdAt/?", "/orderId/?", "/readySince/?", "/detectedAt/?"];

    public static readonly IReadOnlyList<IReadOnlyList<(string Path, string Order)>> ReadModelCompositeIndexes =
    [
        [("/createdAt", "descending"), ("/orderId", "ascending")],
        [("/readySince", "ascending"), ("/orderId", "ascending")],
        [("/detectedAt", "ascending"), ("/orderId", "ascending")],
    ];

    /// <summary>What CosmosOrderStore queries: the code's own list, so the template cannot drift from it.</summary>
    public static readonly IReadOnlyList<string> OrdersQueriedPaths = Orders.Infrastructure.Cosmos.CosmosContainers.OrdersIncludedPaths;

    public static readonly IReadOnlyList<IReadOnlyList<(string Path, string Order)>> OrdersCompositeIndexes =
    [
        [("/createdAt", "ascending"), ("/orderId", "ascending")],
    ];

    private const string Sites = "Microsoft.Web/sites";
    private const string SiteConfig = "Microsoft.Web/sites/config";
    private const string CosmosAccounts = "Microsoft.DocumentDB/databaseAccounts";
    private const string ServiceBusNamespaces = "Microsoft.ServiceBus/namespaces";
    private const string StorageAccounts = "Microsoft.Storage/storageAccounts";
    private const string UserAssignedIdentities = "Microsoft.ManagedIdentity/userAssignedIdentities";
    private const string Queues = "Microsoft.ServiceBus/namespaces/queues";

    private readonly ArmTemplate _template;
    private readonly IReadOnlyDictionary<string, string> _sample;

    public InfraChecker(ArmTemplate template, IReadOnlyDictionary<string, string> sampleSettings)
    {
        _template = template ?? throw new ArgumentNullException(nameof(template));
        _sample = sampleSettings ?? throw new ArgumentNullException(nameof(sampleSettings));
    }

    public IReadOnlyList<string> CheckAll() =>
    [
        .. CheckFunctionApp(),
        .. CheckIdentity(),
        .. CheckAppSettings(),
        .. CheckNoSecrets(),
        .. CheckCosmos(),
        .. CheckServiceBus(),
        .. CheckUnclaimedRequests(),
        .. CheckRoles(),
        .. CheckLocalAuthDisabled(),
        .. CheckAuthentication(),
        .. CheckObservability(),
    ];

    // ----- Function app ---------------------------------------------------------------------------------------------

    public IReadOnlyList<string> CheckFunctionApp()
    {
        var problems = new List<string>();
        if (FunctionApp(problems) is not { } site)
        {
            return problems;
        }

        void Expect(string path, JsonNode expected)
        {
            var actual = site.Evaluate(path);
            if (!JsonNode.DeepEquals(actual, expected))
            {
                problems.Add($"[function app] {path} is {Show(actual)}, expected {expected.ToJsonString()}");
            }
        }

        Expect("properties.httpsOnly", true);
        Expect("properties.siteConfig.minTlsVersion", "1.2");
        Expect("properties.siteConfig.ftpsState", "Disabled");
        Expect("properties.functionAppConfig.runtime.name", "dotnet-isolated");
        Expect("properties.functionAppConfig.runtime.version", "10.0");
        Expect("properties.functionAppConfig.deployment.storage.authentication.type", "UserAssignedIdentity");

        foreach (var setting in new[] { "maximumInstanceCount", "instanceMemoryMB" })
        {
            if (site.Evaluate($"properties.functionAppConfig.scaleAndConcurrency.{setting}") is not JsonValue v || !v.TryGetValue<long>(out _))
            {
                problems.Add($"[function app] functionAppConfig.scaleAndConcurrency.{setting} must be set");
            }
        }

        var alwaysReady = site.Evaluate("properties.functionAppConfig.scaleAndConcurrency.alwaysReady") as JsonArray;
        var durable = alwaysReady?.OfType<JsonObject>().FirstOrDefault(a => a["name"]?.ToString() == "durable");
        if (durable?["instanceCount"] is not JsonValue count || !count.TryGetValue<long>(out var instances) || instances < 1)
        {
            problems.Add("[function app] functionAppConfig.scaleAndConcurrency.alwaysReady needs the 'durable' group with at least one instance");
        }

        var plans = _template.Created("Microsoft.Web/serverfarms").ToList();
        if (!plans.Any(p => p.Evaluate("sku.tier")?.ToString() == "FlexConsumption"))
        {
            problems.Add("[function app] no Flex Consumption plan (serverfarms sku tier FlexConsumption)");
        }

        return problems;
    }

    // ----- Identity: granted before the app exists, named by every connection --------------------------------------

    /// <summary>
    /// The app runs as one user-assigned identity that exists, and holds every role, before the app is created (a
    /// system-assigned identity is granted its roles only after the site exists, so the first start and the first
    /// package fetch race them). Every identity-based connection names it (__credential + __clientId), and so do
    /// DefaultAzureCredential (AZURE_CLIENT_ID) and Application Insights (ClientId=...).
    /// </summary>
    public IReadOnlyList<string> CheckIdentity()
    {
        var problems = new List<string>();
        if (FunctionApp(problems) is not { } site)
        {
            return problems;
        }

        var identities = _template.Created(UserAssignedIdentities).ToList();
        if (identities.Count != 1)
        {
            problems.Add($"[identity] expected one user-assigned identity ({UserAssignedIdentities}), found {identities.Count}");
            return problems;
        }

        if (site.Evaluate("identity.type")?.ToString() is not { } type || !type.Contains("UserAssigned", StringComparison.Ordinal))
        {
            problems.Add($"[identity] the function app's identity.type is '{site.Evaluate("identity.type")?.ToString() ?? "missing"}', it must include UserAssigned");
        }

        var assigned = site.Property("identity.userAssignedIdentities");
        if (assigned.Node is not JsonObject keys || !keys.Any(k => ArmResolver.PointsAt(JsonValue.Create(k.Key), assigned.Scope, UserAssignedIdentities, "id")))
        {
            problems.Add("[identity] the function app does not run as the user-assigned identity (identity.userAssignedIdentities)");
        }

        var package = site.Property("properties.functionAppConfig.deployment.storage.authentication.userAssignedIdentityResourceId");
        if (!ArmResolver.PointsAt(package.Node, package.Scope, UserAssignedIdentities, "id"))
        {
            problems.Add("[identity] functionAppConfig.deployment.storage.authentication.userAssignedIdentityResourceId must be the user-assigned identity (the package fetch)");
        }

        var settings = AppSettings().GroupBy(s => s.Name).ToDictionary(g => g.Key, g => g.First().Written, StringComparer.Ordinal);
        bool IsClientId(string name) =>
            settings.TryGetValue(name, out var value) && ArmResolver.PointsAt(value.Node, value.Scope, UserAssignedIdentities, "properties.clientId");

        var connections = settings.Keys
            .SelectMany(name => ConnectionEndpointSuffixes.Where(suffix => name.EndsWith(suffix, StringComparison.Ordinal)).Select(suffix => name[..^suffix.Length]))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (!connections.Contains(StorageKey))
        {
            problems.Add($"[identity] no identity-based '{StorageKey}' connection (AzureWebJobsStorage__accountName)");
        }

        foreach (var connection in connections)
        {
            if (!settings.TryGetValue($"{connection}__credential", out var credential)
                || ArmResolver.Evaluate(credential.Node, credential.Scope).Value?.ToString() != "managedidentity")
            {
                problems.Add($"[identity] connection '{connection}' needs {connection}__credential = managedidentity");
            }

            if (!IsClientId($"{connection}__clientId"))
            {
                problems.Add($"[identity] connection '{connection}' needs {connection}__clientId = the user-assigned identity's client id (otherwise the host looks for a system-assigned identity the app does not have)");
            }
        }

        if (!IsClientId("AZURE_CLIENT_ID"))
        {
            problems.Add("[identity] AZURE_CLIENT_ID must be the user-assigned identity's client id (DefaultAzureCredential of the app's Cosmos DB and Service Bus clients)");
        }

        const string TelemetryKey = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";
        if (!settings.TryGetValue(TelemetryKey, out var telemetry) || telemetry.Text is not { } telemetryText
            || !telemetryText.Contains("ClientId=", StringComparison.Ordinal) || !telemetryText.Contains("Authorization=AAD", StringComparison.Ordinal)
            || !IsClientId(TelemetryKey))
        {
            problems.Add($"[identity] {TelemetryKey} must be 'ClientId=<the user-assigned identity's client id>;Authorization=AAD'");
        }

        // The first deployment: every role assignment must exist before the app does.
        var grants = _template.Created("Microsoft.Authorization/roleAssignments")
            .Concat(_template.Created($"{CosmosAccounts}/sqlRoleAssignments"))
            .ToList();
        foreach (var grant in grants.Where(g => !DependsOn(site, g)))
        {
            problems.Add($"[identity] the function app does not depend on {grant}: on a first deployment it would start before that role exists (403s)");
        }

        return problems;
    }

    /// <summary>
    /// Whether <paramref name="dependent"/> is deployed after <paramref name="dependency"/>: in the deepest scope that
    /// holds both (themselves or the module deployments containing them), the one depends, directly or through other
    /// resources of that scope, on the other (dependsOn).
    /// </summary>
    private bool DependsOn(ArmResource dependent, ArmResource dependency)
    {
        var owners = _template.Resources.Where(r => r.ChildScope is not null).ToDictionary(r => r.ChildScope!, r => r);
        List<ArmResource> Chain(ArmResource resource)
        {
            var chain = new List<ArmResource> { resource };
            while (owners.TryGetValue(chain[^1].Scope, out var owner))
            {
                chain.Add(owner);
            }

            return chain;
        }

        var dependencyChain = Chain(dependency);
        foreach (var from in Chain(dependent))
        {
            if (dependencyChain.FirstOrDefault(d => d.Scope == from.Scope) is not { } to)
            {
                continue;
            }

            if (from == to)
            {
                return false; // one contains the other
            }

            var seen = new HashSet<ArmResource>();
            var pending = new Queue<ArmResource>([from]);
            while (pending.TryDequeue(out var current))
            {
                if (!seen.Add(current))
                {
                    continue;
                }

                if (current == to)
                {
                    return true;
                }

                foreach (var entry in (current.Body["dependsOn"] as JsonArray ?? []).Select(e => e?.ToString()).OfType<string>())
                {
                    foreach (var next in from.Scope.Resources.Where(r => r.Symbol == entry || DependencyNames(entry, from.Scope, r)))
                    {
                        pending.Enqueue(next);
                    }
                }
            }

            return false;
        }

        return false;
    }

    private static bool DependencyNames(string entry, ArmScope scope, ArmResource candidate) =>
        ArmResolver.TryReadResourceId(entry, scope, out var type, out var names)
        && string.Equals(type, candidate.Type, StringComparison.OrdinalIgnoreCase)
        && names.Count > 0 && names.SequenceEqual(candidate.NameSegments, StringComparer.Ordinal) && names.All(n => n is not null);

    // ----- App settings ---------------------------------------------------------------------------------------------

    /// <summary>
    /// The live JSON object the function app's settings come from (after following parameters into the caller), or
    /// null when the template has no single, statically readable settings object.
    /// </summary>
    public Located? AppSettingsSource()
    {
        var configs = _template.Created(SiteConfig).Where(r => r.LeafName == "appsettings").ToList();
        if (configs.Count != 1)
        {
            return null;
        }

        var source = configs[0].Property("properties");
        return source.Node is JsonObject ? source : null;
    }

    /// <summary>Every app setting: name, the node as written and the node it finally resolves to.</summary>
    public IReadOnlyList<(string Name, Located Written, Located Resolved)> AppSettings()
    {
        var settings = new List<(string, Located, Located)>();
        if (AppSettingsSource() is { Node: JsonObject obj } source)
        {
            foreach (var (name, value) in obj)
            {
                settings.Add((name, new Located(value, source.Scope), ArmResolver.Follow(value, source.Scope)));
            }
        }

        // Settings may also be written inline in siteConfig.appSettings ([{name, value}]).
        foreach (var site in _template.Created(Sites))
        {
            var inline = site.Property("properties.siteConfig.appSettings");
            if (inline.Node is JsonArray array)
            {
                foreach (var item in array.OfType<JsonObject>())
                {
                    var name = ArmResolver.Evaluate(item["name"], inline.Scope).Value?.ToString() ?? "?";
                    settings.Add((name, new Located(item["value"], inline.Scope), ArmResolver.Follow(item["value"], inline.Scope)));
                }
            }
        }

        return settings;
    }

    public IReadOnlyList<string> CheckAppSettings()
    {
        var problems = new List<string>();
        if (AppSettingsSource() is null)
        {
            problems.Add("[app settings] expected exactly one Microsoft.Web/sites/config 'appsettings' whose properties resolve to an object");
            return problems;
        }

        var settings = AppSettings();
        var byName = new Dictionary<string, Located>(StringComparer.Ordinal);
        foreach (var (name, _, resolved) in settings)
        {
            if (!byName.TryAdd(name, resolved))
            {
                problems.Add($"[app settings] '{name}' is set twice");
            }
        }

        foreach (var (key, localValue) in _sample)
        {
            if (key == WorkerRuntimeKey)
            {
                if (byName.ContainsKey(key))
                {
                    problems.Add($"[app settings] '{key}' must not be an app setting on Flex Consumption (it is functionAppConfig.runtime.name)");
                }

                var runtime = _template.Created(Sites).Select(s => s.Evaluate("properties.functionAppConfig.runtime.name")?.ToString()).FirstOrDefault();
                if (runtime != localValue)
                {
                    problems.Add($"[app settings] '{key}' = '{localValue}' is provided by functionAppConfig.runtime.name, which is '{runtime ?? "missing"}'");
                }

                continue;
            }

            if (key == StorageKey)
            {
                CheckIdentityBasedStorage(byName, problems);
                continue;
            }

            if (!byName.TryGetValue(key, out var value))
            {
                problems.Add($"[app settings] '{key}' (local.settings.sample.json) is not provisioned");
                continue;
            }

            if (EndpointSettings.TryGetValue(key, out var source))
            {
                var reads = value.Text is { } text ? ArmResolver.References(text, value.Scope) : [];
                var ok = reads.Any(r =>
                    string.Equals(r.ResourceType, source.ResourceType, StringComparison.OrdinalIgnoreCase)
                    && r.PropertyPath == source.Property
                    && r.Resource is { IsExisting: false });
                if (!ok)
                {
                    problems.Add($"[app settings] '{key}' must be read from {source.Property} of the {source.ResourceType} the template creates; it is {Show(value.Node)}");
                }

                continue;
            }

            var cloudValue = ArmResolver.Evaluate(value.Node, value.Scope);
            if (!cloudValue.Resolved || cloudValue.Value?.ToString() != localValue)
            {
                problems.Add($"[app settings] '{key}' is {Show(value.Node)}, expected '{localValue}' as in local.settings.sample.json");
            }
        }

        foreach (var name in byName.Keys)
        {
            if (!_sample.ContainsKey(name) && !CloudOnlySettings.Contains(name))
            {
                problems.Add($"[app settings] '{name}' is neither in local.settings.sample.json nor a documented cloud-only setting");
            }
        }

        return problems;
    }

    private void CheckIdentityBasedStorage(Dictionary<string, Located> byName, List<string> problems)
    {
        if (byName.ContainsKey(StorageKey))
        {
            problems.Add($"[app settings] '{StorageKey}' must be given in its identity-based form (AzureWebJobsStorage__accountName), not as a connection string");
        }

        if (!byName.TryGetValue("AzureWebJobsStorage__credential", out var credential)
            || ArmResolver.Evaluate(credential.Node, credential.Scope).Value?.ToString() != "managedidentity")
        {
            problems.Add("[app settings] 'AzureWebJobsStorage__credential' must be 'managedidentity'");
        }

        var accounts = _template.Created(StorageAccounts).ToList();
        if (!byName.TryGetValue("AzureWebJobsStorage__accountName", out var accountName))
        {
            problems.Add($"[app settings] '{StorageKey}' (local.settings.sample.json) is not provisioned: 'AzureWebJobsStorage__accountName' is missing");
        }
        else if (!accounts.Any(a => SameValue(ArmResolver.Follow(a.Body["name"], a.Scope), accountName)))
        {
            problems.Add($"[app settings] 'AzureWebJobsStorage__accountName' is {Show(accountName.Node)}, not the name of a storage account the template creates");
        }
    }

    // ----- Secrets --------------------------------------------------------------------------------------------------

    public IReadOnlyList<string> CheckNoSecrets()
    {
        var problems = new List<string>();
        foreach (var (name, written, resolved) in AppSettings())
        {
            if (name.Contains("ConnectionString", StringComparison.OrdinalIgnoreCase) && name != "APPLICATIONINSIGHTS_CONNECTION_STRING")
            {
                problems.Add($"[secrets] app setting '{name}' is a connection string");
            }

            if (name == StorageKey)
            {
                problems.Add($"[secrets] app setting '{name}' is the connection-string form of the storage connection");
            }

            foreach (var text in new[] { written.Node?.ToJsonString(), resolved.Node?.ToJsonString() })
            {
                if (text is not null && SecretMarker().Match(text) is { Success: true } match)
                {
                    problems.Add($"[secrets] app setting '{name}' carries a secret ({match.Value.Trim()}...)");
                    break;
                }
            }
        }

        foreach (var site in _template.Created(Sites))
        {
            if (site.Property("properties.siteConfig.connectionStrings").Node is JsonArray { Count: > 0 })
            {
                problems.Add("[secrets] the function app declares connection strings (siteConfig.connectionStrings)");
            }
        }

        var whole = _template.Root.Template.ToJsonString();
        if (ListFunction().Match(whole) is { Success: true } list)
        {
            problems.Add($"[secrets] the template reads keys with {list.Value}...); every connection must be identity-based");
        }

        return problems;
    }

    // ----- Cosmos DB ------------------------------------------------------------------------------------------------

    public IReadOnlyList<string> CheckCosmos()
    {
        var problems = new List<string>();
        var accounts = _template.Created(CosmosAccounts).ToList();
        if (accounts.Count != 1)
        {
            problems.Add($"[cosmos] expected one Cosmos DB account, found {accounts.Count}");
            return problems;
        }

        // Decision 0042: the store's deciding reads ask for the latest version committed in the region they are read
        // in (ReadConsistencyStrategy.LatestCommitted). With one region that is the latest acknowledged write; a read
        // region or a second write region would let them read behind the writer, so either needs the decision revisited.
        var account = accounts[0];
        var locations = (account.Property("properties.locations").Node as JsonArray)?.Count ?? 0;
        if (locations != 1)
            problems.Add($"[cosmos] the account must have exactly one location (decision 0042: deciding reads are latest in their region); it has {locations}");
        if (account.Evaluate("properties.enableMultipleWriteLocations") is JsonValue multiWrite && multiWrite.TryGetValue(out bool many) && many)
            problems.Add("[cosmos] multiple write locations: deciding reads would not see another region's writes (decision 0042)");
        var consistency = account.Evaluate("properties.consistencyPolicy.defaultConsistencyLevel")?.ToString();
        if (consistency is not ("Session" or "BoundedStaleness" or "Strong"))
            problems.Add($"[cosmos] default consistency must be Session or stronger (each instance reads its own writes monotonically); it is {consistency ?? "missing"}");

        var settings = AppSettings().GroupBy(s => s.Name).ToDictionary(g => g.Key, g => g.First().Resolved);
        string? SettingValue(string key) =>
            settings.TryGetValue(key, out var located) ? ArmResolver.Evaluate(located.Node, located.Scope).Value?.ToString() : null;

        var databaseName = SettingValue("CosmosDb__Database");
        var databases = _template.Created($"{CosmosAccounts}/sqlDatabases").ToList();
        if (databaseName is null || !databases.Any(d => d.Evaluate("properties.resource.id")?.ToString() == databaseName))
        {
            problems.Add($"[cosmos] database '{databaseName ?? "(CosmosDb__Database unresolved)"}' named by CosmosDb__Database is not created");
        }

        var containers = _template.Created($"{CosmosAccounts}/sqlDatabases/containers").ToList();
        foreach (var (setting, partitionKey) in Containers)
        {
            var name = SettingValue(setting);
            var container = containers.FirstOrDefault(c =>
                c.Evaluate("properties.resource.id")?.ToString() == name
                && (c.NameSegments.Count < 2 || c.NameSegments[1] is null || c.NameSegments[1] == databaseName));
            if (name is null || container is null)
            {
                problems.Add($"[cosmos] container '{name ?? "?"}' named by {setting} is not created in database '{databaseName}'");
                continue;
            }

            var paths = container.Evaluate("properties.resource.partitionKey.paths");
            if (!JsonNode.DeepEquals(paths, new JsonArray(partitionKey)))
            {
                problems.Add($"[cosmos] container '{name}' must be partitioned by {partitionKey}; it is {Show(paths)}");
            }

            var excluded = container.Evaluate("properties.resource.indexingPolicy.excludedPaths") as JsonArray;
            if (excluded is null || !excluded.OfType<JsonObject>().Any(p => p["path"]?.ToString() == "/*"))
            {
                problems.Add($"[cosmos] container '{name}' must exclude \"/*\" from indexing and include only queried paths");
            }

            if (setting == "CosmosDb__OrdersContainer"
                && (container.Evaluate("properties.resource.defaultTtl") is not JsonValue ttl || !ttl.TryGetValue<long>(out var seconds) || seconds != -1))
            {
                problems.Add($"[cosmos] container '{name}' needs defaultTtl -1 (per-item TTL of idempotency records, nothing else expires)");
            }

            if (setting == "CosmosDb__LeasesContainer"
                && (container.Evaluate("properties.resource.defaultTtl") is not JsonValue leaseTtl || !leaseTtl.TryGetValue<long>(out var leaseSeconds) || leaseSeconds != -1))
            {
                problems.Add($"[cosmos] container '{name}' needs defaultTtl -1 (per-item TTL of inbox records, checkpoints never expire)");
            }

            var (queriedPaths, compositeIndexes) = setting switch
            {
                "CosmosDb__ReadModelsContainer" => (ReadModelQueriedPaths, ReadModelCompositeIndexes),
                "CosmosDb__OrdersContainer" => (OrdersQueriedPaths, OrdersCompositeIndexes),
                _ => ((IReadOnlyList<string>)[], (IReadOnlyList<IReadOnlyList<(string Path, string Order)>>)[]),
            };
            var included = (container.Evaluate("properties.resource.indexingPolicy.includedPaths") as JsonArray)?
                .OfType<JsonObject>().Select(p => p["path"]?.ToString()).ToHashSet() ?? [];
            foreach (var path in queriedPaths.Where(p => !included.Contains(p)))
            {
                problems.Add($"[cosmos] container '{name}' must index {path} (the code's queries filter or sort on it)");
            }

            var composites = (container.Evaluate("properties.resource.indexingPolicy.compositeIndexes") as JsonArray)?
                .OfType<JsonArray>()
                .Select(c => c.OfType<JsonObject>().Select(p => (p["path"]?.ToString(), p["order"]?.ToString() ?? "ascending")).ToList())
                .ToList() ?? [];
            foreach (var required in compositeIndexes)
            {
                if (!composites.Any(c => c.SequenceEqual(required.Select(r => ((string?)r.Path, r.Order)))))
                {
                    problems.Add($"[cosmos] container '{name}' needs the composite index ({string.Join(", ", required.Select(r => $"{r.Path} {r.Order}"))}) for an ORDER BY of the code");
                }
            }
        }

        return problems;
    }

    // ----- Service Bus ----------------------------------------------------------------------------------------------

    public IReadOnlyList<string> CheckServiceBus()
    {
        var problems = new List<string>();
        var namespaces = _template.Created(ServiceBusNamespaces).ToList();
        if (namespaces.Count != 1)
        {
            problems.Add($"[service bus] expected one namespace, found {namespaces.Count}");
            return problems;
        }

        var tier = namespaces[0].Evaluate("sku.tier")?.ToString();
        if (tier is not ("Standard" or "Premium"))
        {
            problems.Add($"[service bus] sku tier is '{tier ?? "unresolved"}'; sessions and duplicate detection need Standard or Premium");
        }

        var settings = AppSettings().GroupBy(s => s.Name).ToDictionary(g => g.Key, g => g.First().Resolved);
        string? SettingValue(string key) =>
            settings.TryGetValue(key, out var located) ? ArmResolver.Evaluate(located.Node, located.Scope).Value?.ToString() : null;

        var topics = _template.Created($"{ServiceBusNamespaces}/topics").ToList();
        var subscriptions = _template.Created($"{ServiceBusNamespaces}/topics/subscriptions").ToList();

        void ExpectTrue(ArmResource resource, string what, string property)
        {
            if (resource.Evaluate($"properties.{property}") is not JsonValue v || !v.TryGetValue<bool>(out var b) || !b)
            {
                problems.Add($"[service bus] {what} needs {property} = true");
            }
        }

        var outbound = SettingValue("ServiceBus__OrderEventsTopic");
        var orderEvents = topics.FirstOrDefault(t => outbound is not null && t.LeafName == outbound);
        if (orderEvents is null)
        {
            problems.Add($"[service bus] topic '{outbound ?? "?"}' named by ServiceBus__OrderEventsTopic is not created");
        }
        else
        {
            ExpectTrue(orderEvents, $"topic '{outbound}'", "requiresDuplicateDetection");
            var window = orderEvents.Evaluate("properties.duplicateDetectionHistoryTimeWindow")?.ToString();
            if (window is null || !IsoDuration().IsMatch(window))
            {
                problems.Add($"[service bus] topic '{outbound}' needs an explicit duplicateDetectionHistoryTimeWindow (ISO 8601), it is {window ?? "missing"}");
            }

            var downstream = subscriptions.Where(s => s.NameSegments.Count == 3 && s.NameSegments[1] == outbound).ToList();
            if (downstream.Count == 0)
            {
                problems.Add($"[service bus] topic '{outbound}' has no subscription for downstream consumers");
            }

            foreach (var subscription in downstream)
            {
                ExpectTrue(subscription, $"subscription '{outbound}/{subscription.LeafName}'", "requiresSession");
            }
        }

        // Requests to other domains (ServiceBusGatewayRequests): message id = idempotency key, so duplicate detection
        // with an explicit window drops a request a retried activity sends again at once. The window must end before the
        // sagas' first deliberate re-send of an unanswered request (same key, same message id), or Service Bus drops
        // that too and the recovery never reaches the domain. Their subscriptions belong to those domains.
        var requestsTopicName = SettingValue("ServiceBus__RequestsTopic");
        var requests = topics.FirstOrDefault(t => requestsTopicName is not null && t.LeafName == requestsTopicName);
        if (requests is null)
        {
            problems.Add($"[service bus] topic '{requestsTopicName ?? "?"}' named by ServiceBus__RequestsTopic is not created");
        }
        else
        {
            ExpectTrue(requests, $"topic '{requestsTopicName}'", "requiresDuplicateDetection");
            var window = requests.Evaluate("properties.duplicateDetectionHistoryTimeWindow")?.ToString();
            if (window is null || !IsoDuration().IsMatch(window))
            {
                problems.Add($"[service bus] topic '{requestsTopicName}' needs an explicit duplicateDetectionHistoryTimeWindow (ISO 8601), it is {window ?? "missing"}");
            }
            else if (System.Xml.XmlConvert.ToTimeSpan(window) is var remembered
                     && (TimeSpan.TryParse(SettingValue("Sagas__ResendAfter"), System.Globalization.CultureInfo.InvariantCulture, out var set) ? set : SagasFirstResend) is var resend
                     && remembered >= resend)
            {
                problems.Add($"[service bus] topic '{requestsTopicName}' remembers message ids for {window}: a saga's re-send of an unanswered request after {resend.TotalSeconds:0} s (same message id) would be dropped");
            }
        }

        var inbound = SettingValue("ServiceBus__InboundTopic");
        var inboundSubscriptionName = SettingValue("ServiceBus__InboundSubscription");
        if (!topics.Any(t => inbound is not null && t.LeafName == inbound))
        {
            problems.Add($"[service bus] topic '{inbound ?? "?"}' named by ServiceBus__InboundTopic is not created");
        }

        var inboundSubscription = subscriptions.FirstOrDefault(s =>
            s.NameSegments.Count == 3 && s.NameSegments[1] == inbound && s.LeafName == inboundSubscriptionName);
        if (inboundSubscription is null)
        {
            problems.Add($"[service bus] subscription '{inbound}/{inboundSubscriptionName}' named by ServiceBus__InboundSubscription is not created");
        }
        else
        {
            var what = $"subscription '{inbound}/{inboundSubscriptionName}'";
            ExpectTrue(inboundSubscription, what, "requiresSession");
            ExpectTrue(inboundSubscription, what, "deadLetteringOnMessageExpiration");
            ExpectTrue(inboundSubscription, what, "deadLetteringOnFilterEvaluationExceptions");
            if (inboundSubscription.Evaluate("properties.maxDeliveryCount") is not JsonValue v || !v.TryGetValue<long>(out var count) || count < 1)
            {
                problems.Add($"[service bus] {what} needs an explicit maxDeliveryCount");
            }

            // Late duplicates (decision 0014): the inbound handler de-duplicates by CloudEvents id in its inbox, which
            // forgets after CosmosInbox.DefaultRetention; a redelivery can come only while the message lives, so no
            // message may live longer than the inbox remembers (the shorter of the topic's and the subscription's TTL).
            var inboundTopic = topics.First(t => t.LeafName == inbound);
            var ttls = new[] { inboundTopic, inboundSubscription }
                .Select(r => r.Evaluate("properties.defaultMessageTimeToLive")?.ToString())
                .Select(t => t is not null && IsoDuration().IsMatch(t) ? System.Xml.XmlConvert.ToTimeSpan(t) : (TimeSpan?)null)
                .ToList();
            var retention = Orders.Infrastructure.Cosmos.Inbox.CosmosInbox.DefaultRetention;
            if (ttls.Any(t => t is null))
            {
                problems.Add($"[service bus] topic '{inbound}' and {what} need an explicit defaultMessageTimeToLive (ISO 8601), bounded by the inbox retention ({retention.TotalDays} days)");
            }
            else if (ttls.Min() > retention)
            {
                problems.Add($"[service bus] {what} keeps messages for {ttls.Min()!.Value.TotalDays} days, longer than the inbox remembers handled event ids ({retention.TotalDays} days): a late redelivery would not be recognised as a duplicate");
            }
        }

        return problems;
    }

    // ----- Requests no domain takes -------------------------------------------------------------------------------

    /// <summary>
    /// A topic discards a message no subscription takes, so the requests topic has a catch-all subscription: its filter
    /// takes every request type except those a domain has claimed, it forwards to a queue (queues have metrics,
    /// subscriptions do not), and a metric alert fires while that queue holds any message.
    /// </summary>
    public IReadOnlyList<string> CheckUnclaimedRequests()
    {
        var problems = new List<string>();
        var settings = AppSettings().GroupBy(s => s.Name).ToDictionary(g => g.Key, g => g.First().Resolved);
        var topicName = settings.TryGetValue("ServiceBus__RequestsTopic", out var located)
            ? ArmResolver.Evaluate(located.Node, located.Scope).Value?.ToString()
            : null;
        var catchAll = _template.Created($"{ServiceBusNamespaces}/topics/subscriptions")
            .Where(s => s.NameSegments.Count == 3 && s.NameSegments[1] == topicName && s.Evaluate("properties.forwardTo") is not null)
            .ToList();
        if (topicName is null || catchAll.Count != 1)
        {
            problems.Add($"[unclaimed requests] topic '{topicName ?? "?"}' needs one catch-all subscription that forwards (forwardTo) to a queue; found {catchAll.Count}");
            return problems;
        }

        var subscription = catchAll[0];
        var what = $"catch-all subscription '{topicName}/{subscription.LeafName}'";
        var queueName = subscription.Evaluate("properties.forwardTo")?.ToString();
        var queue = _template.Created(Queues).FirstOrDefault(q => queueName is not null && q.LeafName == queueName);
        if (queue is null)
        {
            problems.Add($"[unclaimed requests] {what} forwards to '{queueName ?? "?"}', which is not a queue the template creates");
        }
        else if (queue.Evaluate("properties.deadLetteringOnMessageExpiration") is not JsonValue dl || !dl.TryGetValue<bool>(out var dead) || !dead)
        {
            problems.Add($"[unclaimed requests] queue '{queueName}' needs deadLetteringOnMessageExpiration = true (an unreplayed request must not expire unseen)");
        }

        // No rule = the true filter. A $Default rule replaces it: a match-all, or one that leaves out claimed types only.
        var rules = _template.Created($"{ServiceBusNamespaces}/topics/subscriptions/rules")
            .Where(r => r.NameSegments.Count == 4 && r.NameSegments[1] == topicName && r.NameSegments[2] == subscription.LeafName)
            .ToList();
        if (rules.Count > 0 && !rules.Any(r => r.LeafName == "$Default"))
        {
            problems.Add($"[unclaimed requests] {what} has rules beside the default true filter, which still takes every message; name its one rule $Default");
        }

        foreach (var rule in rules.Where(r => r.LeafName == "$Default"))
        {
            var expression = rule.Evaluate("properties.sqlFilter.sqlExpression")?.ToString();
            var takesUnclaimed = rule.Evaluate("properties.filterType")?.ToString() == "SqlFilter"
                && expression is not null && (expression.Trim() == "1=1" || ClaimedTypesFilter().IsMatch(expression));
            if (!takesUnclaimed)
            {
                problems.Add($"[unclaimed requests] {what} filter is '{expression ?? "unresolved"}'; it must take every request ('1=1') or leave out claimed types only ('sys.Label NOT IN (...)')");
            }
        }

        var alert = _template.Created("Microsoft.Insights/metricAlerts").Where(a =>
            a.Evaluate("properties.criteria.allOf") is JsonArray criteria
            && criteria.OfType<JsonObject>().Any(c =>
                c["metricName"]?.ToString() == "ActiveMessages"
                && c["operator"]?.ToString() == "GreaterThan"
                && c["threshold"] is JsonValue t && t.TryGetValue<double>(out var threshold) && threshold == 0
                && c["dimensions"] is JsonArray dimensions && dimensions.OfType<JsonObject>().Any(d =>
                    d["name"]?.ToString() == "EntityName" && d["operator"]?.ToString() == "Include"
                    && d["values"] is JsonArray values && values.Any(v => queueName is not null && v?.ToString() == queueName))))
            .ToList();
        if (alert.Count == 0)
        {
            problems.Add($"[unclaimed requests] no metric alert for ActiveMessages > 0 on queue '{queueName}'");
        }
        else if (!alert.Any(a => a.Body["properties"]?["actions"] is JsonArray { Count: > 0 }))
        {
            problems.Add("[unclaimed requests] the unclaimed-requests alert notifies no action group");
        }

        return problems;
    }

    // ----- host.json ------------------------------------------------------------------------------------------------

    /// <summary>
    /// Durable Functions on Flex Consumption (the plan CheckFunctionApp requires): the Azure Storage provider must poll
    /// its queues at least every 10 s (its default maximum is 30 s on older extension versions).
    /// </summary>
    public static IReadOnlyList<string> CheckDurableHost(JsonObject host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var problems = new List<string>();
        var provider = host["extensions"]?["durableTask"]?["storageProvider"] as JsonObject;
        var type = provider?["type"]?.ToString() ?? "AzureStorage";
        if (!string.Equals(type, "AzureStorage", StringComparison.OrdinalIgnoreCase))
        {
            return problems;
        }

        const string Path = "extensions.durableTask.storageProvider.maxQueuePollingInterval";
        var text = provider?["maxQueuePollingInterval"]?.ToString();
        if (text is null)
        {
            problems.Add($"[host.json] {Path} is not set; Flex Consumption needs {MaxDurablePollingOnFlex:c} or less");
        }
        else if (!TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var interval)
            || interval <= TimeSpan.Zero || interval > MaxDurablePollingOnFlex)
        {
            problems.Add($"[host.json] {Path} is '{text}'; Flex Consumption needs a positive interval of {MaxDurablePollingOnFlex:c} or less");
        }

        return problems;
    }

    // ----- Roles ----------------------------------------------------------------------------------------------------

    public IReadOnlyList<string> CheckRoles()
    {
        var problems = new List<string>();
        if (FunctionApp(problems) is null)
        {
            return problems;
        }

        // The app runs as its user-assigned identity (CheckIdentity), so that is the principal every role is granted to.
        static bool IsAppPrincipal(ArmResource assignment)
        {
            var principal = assignment.Property("properties.principalId");
            return ArmResolver.PointsAt(principal.Node, principal.Scope, UserAssignedIdentities, "properties.principalId");
        }

        var assignments = _template.Created("Microsoft.Authorization/roleAssignments").ToList();
        foreach (var (guid, role, scopeType) in RequiredRoles)
        {
            var granted = assignments.Where(a => RoleGuid(a) == guid).ToList();
            if (granted.Count == 0)
            {
                problems.Add($"[roles] {role} ({guid}) is not assigned");
                continue;
            }

            if (!granted.Any(IsAppPrincipal))
            {
                problems.Add($"[roles] {role} ({guid}) is not assigned to the function app's managed identity");
            }

            if (!granted.Any(a => ScopeType(a) is { } type && type.StartsWith(scopeType, StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add($"[roles] {role} ({guid}) must be scoped to a {scopeType}");
            }
        }

        var cosmos = _template.Created($"{CosmosAccounts}/sqlRoleAssignments").ToList();
        var contributor = cosmos.Where(a =>
        {
            var definition = a.Property("properties.roleDefinitionId");
            return definition.Text is { } text
                && ArmResolver.TryReadResourceId(text, definition.Scope, out var type, out var names)
                && type.EndsWith("/sqlRoleDefinitions", StringComparison.OrdinalIgnoreCase)
                && names.Count > 0 && names[^1] == CosmosDataContributorRole;
        }).ToList();
        if (contributor.Count == 0)
        {
            problems.Add($"[roles] Cosmos DB Built-in Data Contributor ({CosmosDataContributorRole}) is not assigned (sqlRoleAssignments)");
        }
        else if (!contributor.Any(IsAppPrincipal))
        {
            problems.Add("[roles] Cosmos DB Built-in Data Contributor is not assigned to the function app's managed identity");
        }

        return problems;
    }

    private static string? RoleGuid(ArmResource assignment)
    {
        var definition = assignment.Property("properties.roleDefinitionId");
        if (definition.Node is null)
        {
            return null;
        }

        var evaluated = ArmResolver.Evaluate(definition.Node, definition.Scope).Value?.ToString();
        if (evaluated is not null)
        {
            return evaluated.Split('/')[^1].ToLowerInvariant();
        }

        return definition.Text is { } text && ArmResolver.TryReadResourceId(text, definition.Scope, out _, out var names) && names.Count > 0
            ? names[^1]?.ToLowerInvariant()
            : null;
    }

    private static string? ScopeType(ArmResource assignment)
    {
        var scope = assignment.Property("scope");
        if (scope.Text is not { } text)
        {
            return null;
        }

        if (ArmResolver.TryReadResourceId(text, scope.Scope, out var type, out _))
        {
            return type;
        }

        // languageVersion 2.0 may write the scope as a symbolic name or a "Type/name" path.
        var symbol = scope.Scope.Resources.FirstOrDefault(r => r.Symbol == text);
        return symbol?.Type;
    }

    // ----- Local auth -----------------------------------------------------------------------------------------------

    public IReadOnlyList<string> CheckLocalAuthDisabled()
    {
        var problems = new List<string>();

        void Expect(string type, string property, bool expected, string what)
        {
            var resources = _template.Created(type).ToList();
            if (resources.Count == 0)
            {
                problems.Add($"[local auth] no {type} to check");
            }

            foreach (var resource in resources)
            {
                if (resource.Evaluate($"properties.{property}") is not JsonValue v || !v.TryGetValue<bool>(out var actual) || actual != expected)
                {
                    problems.Add($"[local auth] {what}: {type} needs {property} = {(expected ? "true" : "false")}");
                }
            }
        }

        Expect(CosmosAccounts, "disableLocalAuth", true, "Cosmos DB account keys must be off");
        Expect(ServiceBusNamespaces, "disableLocalAuth", true, "Service Bus SAS keys must be off");
        Expect(StorageAccounts, "allowSharedKeyAccess", false, "storage shared keys must be off");
        Expect("Microsoft.Insights/components", "DisableLocalAuth", true, "Application Insights must require Entra ID");
        return problems;
    }

    // ----- App Service authentication -------------------------------------------------------------------------------

    public IReadOnlyList<string> CheckAuthentication()
    {
        var problems = new List<string>();
        var auth = _template.Created(SiteConfig).Where(r => r.LeafName == "authsettingsV2").ToList();
        if (auth.Count != 1)
        {
            problems.Add("[auth] expected one Microsoft.Web/sites/config 'authsettingsV2' (App Service authentication)");
            return problems;
        }

        void Expect(string path, JsonNode expected)
        {
            var actual = auth[0].Evaluate(path);
            if (!JsonNode.DeepEquals(actual, expected))
            {
                problems.Add($"[auth] {path} is {Show(actual)}, expected {expected.ToJsonString()}");
            }
        }

        Expect("properties.platform.enabled", true);
        Expect("properties.globalValidation.requireAuthentication", true);
        Expect("properties.globalValidation.unauthenticatedClientAction", "Return401");
        Expect("properties.identityProviders.azureActiveDirectory.enabled", true);

        // v2.0 access tokens carry the client id as aud, v1.0 tokens the Application ID URI: accept both.
        var clientId = auth[0].Evaluate("properties.identityProviders.azureActiveDirectory.registration.clientId")?.ToString();
        var audiences = (auth[0].Evaluate("properties.identityProviders.azureActiveDirectory.validation.allowedAudiences") as JsonArray)?
            .Select(a => a?.ToString()).ToHashSet(StringComparer.Ordinal) ?? [];
        if (clientId is null || !audiences.Contains(clientId) || !audiences.Contains($"api://{clientId}"))
        {
            problems.Add($"[auth] allowedAudiences must list the client id '{clientId ?? "unresolved"}' (v2.0 tokens) and 'api://{clientId}' (v1.0 tokens); it is [{string.Join(", ", audiences)}]");
        }

        // Decision 0014: every path needs a token, /api/openapi.yaml included.
        if (auth[0].Evaluate("properties.globalValidation.excludedPaths") is JsonArray { Count: > 0 } excluded)
        {
            problems.Add($"[auth] globalValidation.excludedPaths lets {excluded.ToJsonString()} through without a token; every path, /api/openapi.yaml included, needs one (decision 0014)");
        }

        return problems;
    }

    // ----- Diagnostics and alerts -----------------------------------------------------------------------------------

    public IReadOnlyList<string> CheckObservability()
    {
        var problems = new List<string>();
        var diagnostics = _template.Created("Microsoft.Insights/diagnosticSettings").ToList();
        foreach (var type in new[] { Sites, CosmosAccounts, ServiceBusNamespaces })
        {
            var settings = diagnostics.Where(d => ScopeType(d) is { } scope && string.Equals(scope, type, StringComparison.OrdinalIgnoreCase)).ToList();
            bool AnyEnabled(ArmResource d, string list) =>
                d.Evaluate($"properties.{list}") is JsonArray items
                && items.OfType<JsonObject>().Any(i => i["enabled"] is JsonValue e && e.TryGetValue<bool>(out var on) && on);
            if (!settings.Any(d => d.Property("properties.workspaceId").Node is not null && AnyEnabled(d, "logs") && AnyEnabled(d, "metrics")))
            {
                problems.Add($"[observability] no diagnostic setting sends the logs and metrics of the {type} to the workspace");
            }
        }

        var deadLetter = _template.Created("Microsoft.Insights/metricAlerts").Where(a =>
            a.Evaluate("properties.criteria.allOf") is JsonArray criteria
            && criteria.OfType<JsonObject>().Any(c =>
                c["metricName"]?.ToString() == "DeadletteredMessages"
                && c["operator"]?.ToString() == "GreaterThan"
                && c["threshold"] is JsonValue t && t.TryGetValue<double>(out var threshold) && threshold == 0)).ToList();
        if (deadLetter.Count == 0)
        {
            problems.Add("[observability] no metric alert for Service Bus DeadletteredMessages > 0");
        }
        else if (!deadLetter.Any(a => a.Body["properties"]?["actions"] is JsonArray { Count: > 0 }))
        {
            problems.Add("[observability] the dead-letter alert notifies no action group");
        }

        var logAlerts = _template.Created("Microsoft.Insights/scheduledQueryRules").ToList();
        foreach (var (what, marker) in new[] { ("failed orchestrations", "Host.Triggers.DurableTask"), ("stuck orders", "OrderStuck") })
        {
            var rule = logAlerts.FirstOrDefault(r =>
                r.Evaluate("properties.criteria.allOf") is JsonArray criteria
                && criteria.OfType<JsonObject>().Any(c => c["query"]?.ToString() is { } query && query.Contains(marker, StringComparison.Ordinal)));
            if (rule is null)
            {
                problems.Add($"[observability] no log alert for {what} (a query mentioning {marker})");
            }
            else if (rule.Body["properties"]?["actions"]?["actionGroups"] is not JsonArray { Count: > 0 })
            {
                problems.Add($"[observability] the log alert for {what} notifies no action group");
            }
        }

        var emails = _template.Created("Microsoft.Insights/actionGroups").Any(g =>
            g.Body["properties"]?["emailReceivers"] is not null
            || (g.Body["properties"]?["copy"] is JsonArray loops && loops.OfType<JsonObject>().Any(l => l["name"]?.ToString() == "emailReceivers")));
        if (!emails)
        {
            problems.Add("[observability] no action group with e-mail receivers");
        }

        return problems;
    }

    // ----- Helpers --------------------------------------------------------------------------------------------------

    private ArmResource? FunctionApp(List<string> problems)
    {
        var sites = _template.Created(Sites)
            .Where(s => s.Evaluate("kind")?.ToString() is { } kind && kind.Contains("functionapp", StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (sites.Count != 1)
        {
            problems.Add($"[function app] expected one function app (Microsoft.Web/sites, kind functionapp), found {sites.Count}");
            return null;
        }

        return sites[0];
    }

    private static bool SameValue(Located a, Located b) =>
        ReferenceEquals(a.Node, b.Node)
        || (a.Text is { } x && b.Text is { } y && !a.IsExpression && !b.IsExpression && x == y);

    private static string Show(JsonNode? node) => node is null ? "missing" : node.ToJsonString();

    [GeneratedRegex(@"AccountKey=|SharedAccessKey|SharedAccessSignature|\blist[A-Za-z]*\(", RegexOptions.IgnoreCase)]
    private static partial Regex SecretMarker();

    [GeneratedRegex(@"\blist(Keys|ConnectionStrings|Secrets|AccountSas|ServiceSas)\(", RegexOptions.IgnoreCase)]
    private static partial Regex ListFunction();

    [GeneratedRegex(@"^\s*sys\.Label\s+NOT\s+IN\s*\(\s*'[^']+'(\s*,\s*'[^']+')*\s*\)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex ClaimedTypesFilter();

    [GeneratedRegex(@"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")]
    private static partial Regex IsoDuration();
}
