using System.Text.Json.Nodes;
using Orders.Infra.Tests.Arm;
using Orders.Infra.Tests.Support;

namespace Orders.Infra.Tests;

/// <summary>The compiled template provisions what the code assumes (InfraChecker), with defaults and with each parameters file.</summary>
[Collection(BicepCollection.Name)]
public sealed class TemplateTests(BicepFixture bicep)
{
    public static TheoryData<string> ParameterFiles() => new(BicepFixture.ParameterFiles);

    [Fact]
    public void The_sample_settings_file_is_found_and_read() =>
        Assert.Contains("CosmosDb__Endpoint", SampleSettings.Load().Keys);

    [Fact]
    public void The_function_app_runs_dotnet_10_isolated_on_flex_consumption_with_an_always_ready_durable_instance() =>
        AssertNone(bicep.MainChecker().CheckFunctionApp());

    [Fact]
    public void The_app_runs_as_a_user_assigned_identity_granted_its_roles_before_the_app_exists() =>
        AssertNone(bicep.MainChecker().CheckIdentity());

    [Fact]
    public void Requests_no_domain_takes_are_kept_in_a_queue_that_raises_an_alert() =>
        AssertNone(bicep.MainChecker().CheckUnclaimedRequests());

    [Fact]
    public void Once_domains_claim_request_types_the_catch_all_leaves_out_only_those()
    {
        var parameters = BicepFixture.RequiredParameters();
        parameters["serviceBusClaimedRequestTypes"] = new JsonObject { ["value"] = new JsonArray("orders.reserve-stock.v1", "orders.release-stock.v1") };
        var template = ArmTemplate.Load(bicep.MainTemplateJson(), parameters);

        var rule = template.Created("Microsoft.ServiceBus/namespaces/topics/subscriptions/rules").Single();
        Assert.Equal("sys.Label NOT IN ('orders.reserve-stock.v1', 'orders.release-stock.v1')", rule.Evaluate("properties.sqlFilter.sqlExpression")?.ToString());
        AssertNone(new InfraChecker(template, SampleSettings.Load()).CheckUnclaimedRequests());
    }

    [Fact]
    public void Durable_polls_its_queues_at_least_every_ten_seconds_as_flex_consumption_needs() =>
        AssertNone(InfraChecker.CheckDurableHost(HostJson()));

    [Theory]
    [InlineData(null, "is not set")]
    [InlineData("00:00:30", "is '00:00:30'")]
    [InlineData("00:00:00", "is '00:00:00'")]
    [InlineData("two seconds", "is 'two seconds'")]
    public void A_host_json_without_a_short_enough_durable_polling_interval_is_reported(string? interval, string expected)
    {
        var host = HostJson();
        var provider = host["extensions"]!["durableTask"]!["storageProvider"]!.AsObject();
        provider.Remove("maxQueuePollingInterval");
        if (interval is not null)
        {
            provider["maxQueuePollingInterval"] = interval;
        }

        Assert.Contains(InfraChecker.CheckDurableHost(host), p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_setting_of_local_settings_sample_is_provisioned() =>
        AssertNone(bicep.MainChecker().CheckAppSettings());

    [Fact]
    public void No_secret_reaches_the_app_settings() =>
        AssertNone(bicep.MainChecker().CheckNoSecrets());

    [Fact]
    public void Cosmos_containers_exist_with_the_partition_keys_the_code_writes_with() =>
        AssertNone(bicep.MainChecker().CheckCosmos());

    [Fact]
    public void Service_bus_topics_and_subscriptions_exist_with_duplicate_detection_and_sessions() =>
        AssertNone(bicep.MainChecker().CheckServiceBus());

    [Fact]
    public void The_app_identity_holds_every_role_it_needs() =>
        AssertNone(bicep.MainChecker().CheckRoles());

    [Fact]
    public void Keys_are_disabled_on_cosmos_service_bus_storage_and_app_insights() =>
        AssertNone(bicep.MainChecker().CheckLocalAuthDisabled());

    [Fact]
    public void App_service_authentication_requires_a_caller() =>
        AssertNone(bicep.MainChecker().CheckAuthentication());

    [Fact]
    public void Logs_and_metrics_reach_the_workspace_and_alerts_notify_someone() =>
        AssertNone(bicep.MainChecker().CheckObservability());

    [Fact]
    public void The_checker_sees_the_settings_it_checks()
    {
        // Guards against a vacuous pass: the checker must actually find the settings, roles and containers.
        var checker = bicep.MainChecker();
        var names = checker.AppSettings().Select(s => s.Name).ToHashSet();
        Assert.Contains("CosmosDb__Endpoint", names);
        Assert.Contains("AzureWebJobsStorage__accountName", names);
        Assert.True(names.Count >= SampleSettings.Load().Count);
    }

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void Each_environment_passes_every_check(string file)
    {
        var (template, parameters) = bicep.ParamBuildJson(file);
        var checker = new InfraChecker(ArmTemplate.Load(template, parameters), SampleSettings.Load());

        AssertNone(checker.CheckAll());
    }

    private static JsonObject HostJson() =>
        JsonNode.Parse(File.ReadAllText(RepoPaths.HostJson)) as JsonObject ?? throw new InvalidDataException("host.json is not a JSON object.");

    private static void AssertNone(IReadOnlyList<string> problems) =>
        Assert.True(problems.Count == 0, "problems:\n" + string.Join("\n", problems));
}
