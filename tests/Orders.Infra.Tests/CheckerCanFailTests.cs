using System.Text.Json.Nodes;
using Orders.Infra.Tests.Arm;
using Orders.Infra.Tests.Support;

namespace Orders.Infra.Tests;

/// <summary>
/// Each check is run against a deliberately broken copy of the compiled template and must report the break.
/// Without these, a checker that finds nothing to check would pass every template.
/// </summary>
[Collection(BicepCollection.Name)]
public sealed class CheckerCanFailTests(BicepFixture bicep)
{
    private static readonly Dictionary<string, (Action<ArmTemplate, InfraChecker> Break, string Expected)> Breaks = new()
    {
        ["remove a sample setting"] = ((_, c) => Settings(c).Remove("CosmosDb__LeasesContainer"),
            "'CosmosDb__LeasesContainer' (local.settings.sample.json) is not provisioned"),
        ["add an undocumented setting"] = ((_, c) => Settings(c)["Payments__ApiKey"] = "abc",
            "'Payments__ApiKey' is neither in local.settings.sample.json"),
        ["change a fixed setting"] = ((_, c) => Settings(c)["Jobs__DetectStuck__Schedule"] = "0 0 * * * *",
            "'Jobs__DetectStuck__Schedule' is \"0 0 * * * *\", expected '0 */15 * * * *'"),
        ["point the Cosmos endpoint at localhost"] = ((_, c) => Settings(c)["CosmosDb__Endpoint"] = "https://localhost:8081",
            "'CosmosDb__Endpoint' must be read from properties.documentEndpoint"),
        ["point the Service Bus namespace elsewhere"] = ((_, c) => Settings(c)["ServiceBusConnection__fullyQualifiedNamespace"] = "localhost",
            "'ServiceBusConnection__fullyQualifiedNamespace' must be read from properties.serviceBusEndpoint"),
        ["set FUNCTIONS_WORKER_RUNTIME as an app setting"] = ((_, c) => Settings(c)["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
            "'FUNCTIONS_WORKER_RUNTIME' must not be an app setting on Flex Consumption"),
        ["change the Flex runtime"] = ((t, _) => Site(t)["properties"]!["functionAppConfig"]!["runtime"]!["name"] = "node",
            "'FUNCTIONS_WORKER_RUNTIME' = 'dotnet-isolated' is provided by functionAppConfig.runtime.name, which is 'node'"),
        ["use a storage connection string"] = ((_, c) =>
            {
                var settings = Settings(c);
                settings.Remove("AzureWebJobsStorage__accountName");
                settings["AzureWebJobsStorage"] = "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=c2VjcmV0";
            },
            "'AzureWebJobsStorage' must be given in its identity-based form"),
        ["name a storage account the template does not create"] = ((_, c) => Settings(c)["AzureWebJobsStorage__accountName"] = "someotheraccount",
            "'AzureWebJobsStorage__accountName' is \"someotheraccount\", not the name of a storage account"),
        ["add a connection string setting"] = ((_, c) => Settings(c)["CosmosDb__ConnectionString"] = "AccountEndpoint=https://x/;AccountKey=abc",
            "[secrets] app setting 'CosmosDb__ConnectionString' is a connection string"),
        ["put a SAS key in a value"] = ((_, c) => Settings(c)["ServiceBus__OrderEventsTopic"] = "Endpoint=sb://x/;SharedAccessKeyName=a;SharedAccessKey=b",
            "[secrets] app setting 'ServiceBus__OrderEventsTopic' carries a secret"),
        ["read keys with listKeys"] = ((_, c) => Settings(c)["Orders__Store"] = "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'x'), '2023-05-01').keys[0].value]",
            "[secrets] the template reads keys with listKeys"),
        ["partition orders by id"] = ((t, _) => Container(t, "orders")["properties"]!["resource"]!["partitionKey"]!["paths"] = new JsonArray("/id"),
            "container 'orders' must be partitioned by /orderId"),
        ["drop per-item TTL on orders"] = ((t, _) => Container(t, "orders")["properties"]!["resource"]!.AsObject().Remove("defaultTtl"),
            "container 'orders' needs defaultTtl -1"),
        ["index everything in read-models"] = ((t, _) => Container(t, "read-models")["properties"]!["resource"]!["indexingPolicy"]!["excludedPaths"] = new JsonArray(),
            "container 'read-models' must exclude \"/*\""),
        ["drop per-item TTL on leases"] = ((t, _) => Container(t, "leases")["properties"]!["resource"]!.AsObject().Remove("defaultTtl"),
            "container 'leases' needs defaultTtl -1"),
        ["drop the orders container's composite index"] = ((t, _) => Container(t, "orders")["properties"]!["resource"]!["indexingPolicy"]!["compositeIndexes"]!.AsArray().RemoveAt(0),
            "container 'orders' needs the composite index (/createdAt ascending, /orderId ascending)"),
        ["stop indexing expiresAt in orders"] = ((t, _) => Container(t, "orders")["properties"]!["resource"]!["indexingPolicy"]!["includedPaths"]!.AsArray().RemoveAt(6),
            "container 'orders' must index /expiresAt/?"),
        ["drop the read-model list's composite index"] = ((t, _) => Container(t, "read-models")["properties"]!["resource"]!["indexingPolicy"]!["compositeIndexes"]!.AsArray().RemoveAt(0),
            "container 'read-models' needs the composite index (/createdAt descending, /orderId ascending)"),
        ["stop indexing readySince in read-models"] = ((t, _) => Container(t, "read-models")["properties"]!["resource"]!["indexingPolicy"]!["includedPaths"]!.AsArray().RemoveAt(4),
            "container 'read-models' must index /readySince/?"),
        ["rename the leases container"] = ((t, _) => Container(t, "leases")["properties"]!["resource"]!["id"] = "checkpoints",
            "container 'leases' named by CosmosDb__LeasesContainer is not created"),
        ["turn duplicate detection off"] = ((t, _) => Topic(t, "order-events")["properties"]!["requiresDuplicateDetection"] = false,
            "topic 'order-events' needs requiresDuplicateDetection = true"),
        ["drop the duplicate detection window"] = ((t, _) => Topic(t, "order-events")["properties"]!.AsObject().Remove("duplicateDetectionHistoryTimeWindow"),
            "needs an explicit duplicateDetectionHistoryTimeWindow"),
        ["requests topic without duplicate detection"] = ((t, _) => Topic(t, "order-requests")["properties"]!["requiresDuplicateDetection"] = false,
            "topic 'order-requests' needs requiresDuplicateDetection = true"),
        ["requests topic without a duplicate detection window"] = ((t, _) => Topic(t, "order-requests")["properties"]!.AsObject().Remove("duplicateDetectionHistoryTimeWindow"),
            "topic 'order-requests' needs an explicit duplicateDetectionHistoryTimeWindow"),
        ["requests topic remembering ids past the sagas' first re-send"] = ((t, _) => Topic(t, "order-requests")["properties"]!["duplicateDetectionHistoryTimeWindow"] = "PT10M",
            "topic 'order-requests' remembers message ids for PT10M"),
        ["remove the requests topic"] = ((t, _) => Remove(Topic(t, "order-requests")),
            "topic 'order-requests' named by ServiceBus__RequestsTopic is not created"),
        ["inbound subscription without sessions"] = ((t, _) => Subscription(t, "orders")["properties"]!["requiresSession"] = false,
            "subscription 'order-integration-events/orders' needs requiresSession = true"),
        ["inbound subscription without dead-lettering on expiry"] = ((t, _) => Subscription(t, "orders")["properties"]!["deadLetteringOnMessageExpiration"] = false,
            "needs deadLetteringOnMessageExpiration = true"),
        ["remove the inbound subscription"] = ((t, _) => Remove(Subscription(t, "orders")),
            "subscription 'order-integration-events/orders' named by ServiceBus__InboundSubscription is not created"),
        ["Basic Service Bus"] = ((t, _) => t.Created("Microsoft.ServiceBus/namespaces").Single().Body["sku"] = new JsonObject { ["name"] = "Basic", ["tier"] = "Basic" },
            "sku tier is 'Basic'"),
        ["remove the Service Bus Data Receiver role"] = ((t, _) => Remove(RoleAssignment(t, "serviceBusDataReceiver")),
            "Azure Service Bus Data Receiver (4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0) is not assigned"),
        ["grant a storage role to someone else"] = ((t, _) => RoleAssignment(t, "storageQueueDataContributor")["properties"]!["principalId"] = "00000000-0000-0000-0000-00000000beef",
            "Storage Queue Data Contributor (974c5e8b-45b9-4653-ba55-5f855dd0fb88) is not assigned to the function app's managed identity"),
        ["remove the Cosmos data role"] = ((t, _) => Remove(t.Created("Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments").Single().Body),
            "Cosmos DB Built-in Data Contributor (00000000-0000-0000-0000-000000000002) is not assigned"),
        ["add a Cosmos read region"] = ((t, _) => t.Created("Microsoft.DocumentDB/databaseAccounts").Single().Body["properties"]!["locations"]!.AsArray()
                .Add(new JsonObject { ["locationName"] = "westeurope", ["failoverPriority"] = 1 }),
            "the account must have exactly one location (decision 0042"),
        ["Cosmos multi-region writes"] = ((t, _) => t.Created("Microsoft.DocumentDB/databaseAccounts").Single().Body["properties"]!["enableMultipleWriteLocations"] = true,
            "multiple write locations"),
        ["Cosmos eventual consistency"] = ((t, _) => t.Created("Microsoft.DocumentDB/databaseAccounts").Single().Body["properties"]!["consistencyPolicy"]!["defaultConsistencyLevel"] = "Eventual",
            "default consistency must be Session or stronger"),
        ["enable Cosmos keys"] = ((t, _) => t.Created("Microsoft.DocumentDB/databaseAccounts").Single().Body["properties"]!["disableLocalAuth"] = false,
            "Cosmos DB account keys must be off"),
        ["enable Service Bus SAS"] = ((t, _) => t.Created("Microsoft.ServiceBus/namespaces").Single().Body["properties"]!.AsObject().Remove("disableLocalAuth"),
            "Service Bus SAS keys must be off"),
        ["enable storage shared keys"] = ((t, _) => t.Created("Microsoft.Storage/storageAccounts").Single().Body["properties"]!["allowSharedKeyAccess"] = true,
            "storage shared keys must be off"),
        ["allow anonymous callers"] = ((t, _) => Auth(t)["properties"]!["globalValidation"]!["unauthenticatedClientAction"] = "AllowAnonymous",
            "unauthenticatedClientAction is \"AllowAnonymous\""),
        ["do not require authentication"] = ((t, _) => Auth(t)["properties"]!["globalValidation"]!["requireAuthentication"] = false,
            "requireAuthentication is false"),
        ["no always-ready durable instance"] = ((t, _) => Site(t)["properties"]!["functionAppConfig"]!["scaleAndConcurrency"]!["alwaysReady"] = new JsonArray(),
            "alwaysReady needs the 'durable' group"),
        ["no diagnostic setting on Cosmos DB"] = ((t, _) => Remove(t.Created("Microsoft.Insights/diagnosticSettings").Single(d => d.Body["scope"]!.ToString().Contains("DocumentDB", StringComparison.Ordinal)).Body),
            "no diagnostic setting sends the logs and metrics of the Microsoft.DocumentDB/databaseAccounts"),
        ["dead-letter alert at a higher threshold"] = ((t, _) => MetricAlert(t, "DeadletteredMessages")["properties"]!["criteria"]!["allOf"]![0]!["threshold"] = 5,
            "no metric alert for Service Bus DeadletteredMessages > 0"),
        ["no stuck orders alert"] = ((t, _) => Remove(t.Created("Microsoft.Insights/scheduledQueryRules").Single(r => r.Evaluate("properties.criteria")!.ToJsonString().Contains("OrderStuck", StringComparison.Ordinal)).Body),
            "no log alert for stuck orders"),
        ["allow plain HTTP"] = ((t, _) => Site(t)["properties"]!["httpsOnly"] = false,
            "properties.httpsOnly is false"),

        // First deployment: one user-assigned identity, granted its roles before the app exists, named by every connection.
        ["run the app as a system-assigned identity"] = ((t, _) => Site(t)["identity"] = new JsonObject { ["type"] = "SystemAssigned" },
            "[identity] the function app's identity.type is 'SystemAssigned'"),
        ["fetch the package with the system-assigned identity"] = ((t, _) => Site(t)["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!["authentication"] = new JsonObject { ["type"] = "SystemAssignedIdentity" },
            "userAssignedIdentityResourceId must be the user-assigned identity"),
        ["create the app before its roles"] = ((t, _) => Module(t, "functionApp")["dependsOn"]!.AsArray().Remove(Module(t, "functionApp")["dependsOn"]!.AsArray().Single(d => d!.ToString() == "roles")),
            "[identity] the function app does not depend on Microsoft.Authorization/roleAssignments"),
        ["remove the user-assigned identity"] = ((t, _) => Remove(t.Created("Microsoft.ManagedIdentity/userAssignedIdentities").Single().Body),
            "expected one user-assigned identity"),
        ["storage connection without a client id"] = ((_, c) => Settings(c).Remove("AzureWebJobsStorage__clientId"),
            "connection 'AzureWebJobsStorage' needs AzureWebJobsStorage__clientId"),
        ["Service Bus trigger connection without a credential"] = ((_, c) => Settings(c).Remove("ServiceBusConnection__credential"),
            "connection 'ServiceBusConnection' needs ServiceBusConnection__credential = managedidentity"),
        ["Service Bus trigger connection naming another identity"] = ((_, c) => Settings(c)["ServiceBusConnection__clientId"] = "00000000-0000-0000-0000-00000000beef",
            "connection 'ServiceBusConnection' needs ServiceBusConnection__clientId = the user-assigned identity's client id"),
        ["a new identity-based connection without its identity"] = ((_, c) => Settings(c)["Payments__fullyQualifiedNamespace"] = "payments.servicebus.windows.net",
            "connection 'Payments' needs Payments__clientId"),
        ["no AZURE_CLIENT_ID for DefaultAzureCredential"] = ((_, c) => Settings(c).Remove("AZURE_CLIENT_ID"),
            "AZURE_CLIENT_ID must be the user-assigned identity's client id"),
        ["telemetry without the identity's client id"] = ((_, c) => Settings(c)["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = "Authorization=AAD",
            "APPLICATIONINSIGHTS_AUTHENTICATION_STRING must be 'ClientId="),

        // Requests no domain takes are kept and alerted on.
        ["remove the catch-all subscription"] = ((t, _) => Remove(Subscription(t, "unclaimed")),
            "topic 'order-requests' needs one catch-all subscription that forwards (forwardTo) to a queue; found 0"),
        ["catch-all that takes one request type only"] = ((t, _) => CatchAllRule(t)["properties"]!["sqlFilter"]!["sqlExpression"] = "sys.Label = 'orders.notify.v1'",
            "catch-all subscription 'order-requests/unclaimed' filter is 'sys.Label = 'orders.notify.v1''"),
        ["catch-all filter beside the default rule"] = ((t, _) => CatchAllRule(t)["name"] = "[format('{0}/{1}/{2}/{3}', parameters('namespaceName'), parameters('requestsTopicName'), parameters('unclaimedRequestsSubscriptionName'), 'unclaimed')]",
            "has rules beside the default true filter"),
        ["catch-all forwarding nowhere the template creates"] = ((t, _) => Subscription(t, "unclaimed")["properties"]!["forwardTo"] = "elsewhere",
            "forwards to 'elsewhere', which is not a queue the template creates"),
        ["unclaimed requests expire unseen"] = ((t, _) => Queue(t, "order-requests-unclaimed")["properties"]!["deadLetteringOnMessageExpiration"] = false,
            "queue 'order-requests-unclaimed' needs deadLetteringOnMessageExpiration = true"),
        ["no unclaimed-requests alert"] = ((t, _) => Remove(MetricAlert(t, "ActiveMessages")),
            "no metric alert for ActiveMessages > 0 on queue 'order-requests-unclaimed'"),
        ["unclaimed-requests alert watching another entity"] = ((t, _) => MetricAlert(t, "ActiveMessages")["properties"]!["criteria"]!["allOf"]![0]!["dimensions"]![0]!["values"] = new JsonArray("order-events"),
            "no metric alert for ActiveMessages > 0 on queue 'order-requests-unclaimed'"),

        // Late duplicates: the inbox must remember an event id as long as its message can be redelivered.
        ["inbound messages outlive the inbox"] = ((t, _) =>
            {
                Topic(t, "order-integration-events")["properties"]!["defaultMessageTimeToLive"] = "P30D";
                Subscription(t, "orders")["properties"]!["defaultMessageTimeToLive"] = "P30D";
            },
            "keeps messages for 30 days, longer than the inbox remembers handled event ids"),

        // Audiences and the OpenAPI document.
        ["accept the Application ID URI only"] = ((t, _) => Auth(t)["properties"]!["identityProviders"]!["azureActiveDirectory"]!["validation"]!["allowedAudiences"] = new JsonArray("[format('api://{0}', parameters('authClientId'))]"),
            "allowedAudiences must list the client id '11111111-2222-3333-4444-555555555555' (v2.0 tokens)"),
        ["serve openapi.yaml without a token"] = ((t, _) => Auth(t)["properties"]!["globalValidation"]!["excludedPaths"] = new JsonArray("/api/openapi.yaml"),
            "globalValidation.excludedPaths lets [\"/api/openapi.yaml\"] through without a token"),
    };

    public static TheoryData<string> BreakNames() => new(Breaks.Keys);

    [Theory]
    [MemberData(nameof(BreakNames))]
    public void The_checker_reports_a_broken_template(string name)
    {
        var (apply, expected) = Breaks[name];
        var template = bicep.MainTemplate();
        var checker = new InfraChecker(template, SampleSettings.Load());
        Assert.Empty(checker.CheckAll());

        apply(template, checker);

        // Check a fresh load of the changed JSON, as a new build would be checked.
        var broken = new InfraChecker(ArmTemplate.Load(template.Root.Template, BicepFixture.RequiredParameters()), SampleSettings.Load()).CheckAll();
        Assert.True(broken.Any(p => p.Contains(expected, StringComparison.Ordinal)),
            $"expected a problem containing: {expected}\nreported:\n{string.Join("\n", broken)}");
    }

    [Fact]
    public void A_setting_added_to_the_sample_but_not_to_the_infra_is_reported()
    {
        var sample = new Dictionary<string, string>(SampleSettings.Load()) { ["Payments__BaseUrl"] = "http://localhost:5100" };

        var problems = new InfraChecker(bicep.MainTemplate(), sample).CheckAppSettings();

        Assert.Contains(problems, p => p.Contains("'Payments__BaseUrl' (local.settings.sample.json) is not provisioned", StringComparison.Ordinal));
    }

    private static JsonObject Settings(InfraChecker checker) =>
        checker.AppSettingsSource()?.Node as JsonObject ?? throw new InvalidOperationException("no app settings object");

    private static JsonObject Site(ArmTemplate t) => t.Created("Microsoft.Web/sites").Single().Body;

    private static JsonObject Auth(ArmTemplate t) =>
        t.Created("Microsoft.Web/sites/config").Single(r => r.LeafName == "authsettingsV2").Body;

    private static JsonObject Container(ArmTemplate t, string id) =>
        t.Created("Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers").Single(r => r.Evaluate("properties.resource.id")?.ToString() == id).Body;

    private static JsonObject Topic(ArmTemplate t, string name) =>
        t.Created("Microsoft.ServiceBus/namespaces/topics").Single(r => r.LeafName == name).Body;

    private static JsonObject Subscription(ArmTemplate t, string name) =>
        t.Created("Microsoft.ServiceBus/namespaces/topics/subscriptions").Single(r => r.LeafName == name).Body;

    private static JsonObject Queue(ArmTemplate t, string name) =>
        t.Created("Microsoft.ServiceBus/namespaces/queues").Single(r => r.LeafName == name).Body;

    private static JsonObject CatchAllRule(ArmTemplate t) =>
        t.Created("Microsoft.ServiceBus/namespaces/topics/subscriptions/rules").Single(r => r.NameSegments.Count == 4 && r.NameSegments[2] == "unclaimed").Body;

    private static JsonObject MetricAlert(ArmTemplate t, string metricName) =>
        t.Created("Microsoft.Insights/metricAlerts").Single(a => a.Evaluate("properties.criteria.allOf")!.ToJsonString().Contains($"\"metricName\":\"{metricName}\"", StringComparison.Ordinal)).Body;

    private static JsonObject Module(ArmTemplate t, string symbol) => t.Root.Resources.Single(r => r.Symbol == symbol).Body;

    private static JsonObject RoleAssignment(ArmTemplate t, string roleKey) =>
        t.Created("Microsoft.Authorization/roleAssignments").Single(r => r.Body["name"]!.ToString().Contains($".{roleKey})", StringComparison.Ordinal)).Body;

    private static void Remove(JsonObject resource)
    {
        switch (resource.Parent)
        {
            case JsonArray array:
                array.Remove(resource);
                break;
            case JsonObject byName:
                byName.Remove(byName.Single(p => ReferenceEquals(p.Value, resource)).Key);
                break;
            default:
                throw new InvalidOperationException("resource has no parent");
        }
    }
}
