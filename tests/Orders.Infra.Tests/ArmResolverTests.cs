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
}
