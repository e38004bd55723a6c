using System.Text.Json.Nodes;
using Orders.Infra.Tests.Arm;

namespace Orders.Infra.Tests;

public sealed class ArmResolverTests
{
    private static readonly JsonObject Template = (JsonObject)JsonNode.Parse("""
        {
          "parameters": { "env": { "type": "string", "defaultValue": "dev" }, "noDefault": { "type": "string" } },
          "variables": { "names": { "topic": "order-events", "ns": "[format('sb-{0}-{1}', parameters('env'), uniqueString(resourceGroup().id))]" } },
          "resources": {
            "bus": {
              "type": "Microsoft.Resources/deployments",
              "properties": {
                "parameters": { "topicName": { "value": "[variables('names').topic]" }, "nsName": { "value": "[variables('names').ns]" } },
                "template": {
                  "parameters": { "topicName": { "type": "string" }, "nsName": { "type": "string" } },
                  "resources": [
                    { "type": "Microsoft.ServiceBus/namespaces/topics", "name": "[format('{0}/{1}', parameters('nsName'), parameters('topicName'))]",
                      "properties": { "sku": "[if(equals(parameters('topicName'), 'order-events'), createObject('tier', 'Standard'), createObject('tier', 'Basic'))]" } }
                  ],
                  "outputs": { "topic": { "type": "string", "value": "[parameters('topicName')]" } }
                }
              }
            }
          },
          "outputs": { "topic": { "type": "string", "value": "[reference('bus').outputs.topic.value]" } }
        }
        """)!;

    [Fact]
    public void Parses_calls_literals_and_property_access()
    {
        var expression = ArmExpression.Parse("[reference('site', '2025-03-01', 'full').identity.principalId]");

        Assert.Equal("reference('site', '2025-03-01', 'full').identity.principalId", ArmResolver.Print(expression));
        Assert.Equal("'it''s'", ArmResolver.Print(ArmExpression.Parse("['it''s']")));
        Assert.Throws<FormatException>(() => ArmExpression.Parse("[concat('a'"));
    }

    [Fact]
    public void Names_resolve_segment_by_segment_through_the_caller()
    {
        var template = ArmTemplate.Load(Template);
        var topic = template.Created("Microsoft.ServiceBus/namespaces/topics").Single();

        // The namespace name holds uniqueString(), which cannot be known offline; the topic name can.
        Assert.Equal([null, "order-events"], topic.NameSegments);
        Assert.Equal("Standard", topic.Evaluate("properties.sku.tier")?.ToString());
    }

    [Fact]
    public void Module_outputs_and_parameter_files_are_followed()
    {
        var root = ArmTemplate.Load(Template).Root;
        var output = ArmResolver.Evaluate(Template["outputs"]!["topic"]!["value"], root);
        Assert.True(output.Resolved);
        Assert.Equal("order-events", output.Value?.ToString());

        var withFile = ArmTemplate.Load(Template, new JsonObject { ["noDefault"] = new JsonObject { ["value"] = "given" } }).Root;
        Assert.Equal("given", ArmResolver.Evaluate(JsonValue.Create("[parameters('noDefault')]"), withFile).Value?.ToString());
        Assert.False(ArmResolver.Evaluate(JsonValue.Create("[parameters('noDefault')]"), root).Resolved);
    }

    [Fact]
    public void Empty_and_join_evaluate_as_ARM_does()
    {
        var root = ArmTemplate.Load(Template).Root;
        string? Eval(string expression) => ArmResolver.Evaluate(JsonValue.Create(expression), root).Value?.ToString();

        Assert.Equal("True", Eval("[string(empty(createArray()))]"));
        Assert.Equal("False", Eval("[string(empty('x'))]"));
        Assert.Equal("a', 'b", Eval("[join(createArray('a', 'b'), ''', ''')]"));
        Assert.Equal("1=1", Eval("[if(empty(createArray()), '1=1', 'other')]"));
    }

    [Fact]
    public void A_value_points_at_a_module_resource_through_format_parameters_and_outputs()
    {
        var template = (JsonObject)JsonNode.Parse("""
            {
              "resources": {
                "identity": {
                  "type": "Microsoft.Resources/deployments",
                  "properties": { "template": {
                    "resources": { "id": { "type": "Microsoft.ManagedIdentity/userAssignedIdentities", "name": "x" } },
                    "outputs": { "clientId": { "type": "string", "value": "[reference('id').clientId]" } } } }
                }
              },
              "variables": {
                "good": "[format('ClientId={0};Authorization=AAD', reference('identity').outputs.clientId.value)]",
                "literal": "ClientId=00000000-0000-0000-0000-000000000000;Authorization=AAD"
              }
            }
            """)!;
        var root = ArmTemplate.Load(template).Root;
        const string Type = "Microsoft.ManagedIdentity/userAssignedIdentities";

        Assert.True(ArmResolver.PointsAt(JsonValue.Create("[variables('good')]"), root, Type, "properties.clientId"));
        Assert.False(ArmResolver.PointsAt(JsonValue.Create("[variables('literal')]"), root, Type, "properties.clientId"));
        Assert.False(ArmResolver.PointsAt(JsonValue.Create("[variables('good')]"), root, Type, "properties.principalId"));
    }
}
