using System.Text.Json;
using Json.Schema;
using Orders.Contracts.Imports;
using Orders.LegacyFiles;

namespace Orders.Contracts.Tests;

/// <summary>The import format's schema: valid 2020-12, embedded, and in step with the reader on generated lines.</summary>
public sealed class LegacyOrderSchemaTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static string SchemaText()
    {
        using var stream = typeof(LegacyOrderReader).Assembly.GetManifestResourceStream(LegacyOrderFormat.SchemaPath)
            ?? throw new InvalidOperationException("The import schema is not embedded.");
        return new StreamReader(stream).ReadToEnd();
    }

    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(SchemaText(), new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri("https://orders-contracts.invalid/" + LegacyOrderFormat.SchemaPath)));

    private static bool Valid(byte[] line)
    {
        using var document = JsonDocument.Parse(line);
        return Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { RequireFormatValidation = true }).IsValid;
    }

    [Fact]
    public void TheSchema_IsValidJsonSchema202012()
    {
        using var document = JsonDocument.Parse(SchemaText());
        Assert.True(MetaSchemas.Draft202012.Evaluate(document.RootElement).IsValid);
    }

    public static TheoryData<string> Shapes() => [.. LegacyFileGenerator.AllShapes];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryGeneratedShape_IsValidForTheSchema_AndReadsWithoutError(string shape)
    {
        var line = LegacyFileGenerator.Serialize(new LegacyFileGenerator(5, Now).Order("x-" + shape, shape, Now.AddDays(-90)));

        Assert.True(Valid(line), shape);
        Assert.True(LegacyOrderReader.Read(line).IsValid);
    }

    [Theory]
    [InlineData("\"returnWindowDays\":", "\"returnWindow\":")]       // a required member renamed
    [InlineData("\"orderType\":\"PREPAID\"", "\"orderType\":\"prepaid\"")] // not a value of the enum
    [InlineData("\"minor\":", "\"minor\":-")]                          // a negative amount
    public void BrokenShapes_AreInvalidForTheSchema(string find, string replace)
    {
        var text = System.Text.Encoding.UTF8.GetString(LegacyFileGenerator.Serialize(new LegacyFileGenerator(5, Now).Order("y", "CLOSED", Now.AddDays(-90))));
        var broken = System.Text.Encoding.UTF8.GetBytes(text.Replace(find, replace, StringComparison.Ordinal));

        Assert.False(Valid(broken), replace);
    }

    [Fact]
    public void AMissingMember_IsRefusedByBothTheSchemaAndTheReader()
    {
        var text = System.Text.Encoding.UTF8.GetString(LegacyFileGenerator.Serialize(new LegacyFileGenerator(5, Now).Order("z", "PAID", Now.AddDays(-90))));
        var broken = System.Text.Encoding.UTF8.GetBytes(text.Replace("\"reservationId\":", "\"reservation\":", StringComparison.Ordinal));

        Assert.False(Valid(broken));
        Assert.Equal(LegacyOrderReader.Codes.InvalidRecord, LegacyOrderReader.Read(broken).ErrorCode);
    }

    [Fact]
    public void InvalidUtf8AndTruncation_AreReadErrors_NotExceptions()
    {
        var line = LegacyFileGenerator.Serialize(new LegacyFileGenerator(5, Now).Order("w", "PAID", Now.AddDays(-90)));

        Assert.Equal(LegacyOrderReader.Codes.MalformedJson, LegacyOrderReader.Read(line.AsSpan(0, line.Length / 2)).ErrorCode);
        Assert.Equal(LegacyOrderReader.Codes.InvalidEncoding, LegacyOrderReader.Read([.. line[..10], 0xFF, .. line[10..]]).ErrorCode);
        Assert.Equal(LegacyOrderReader.Codes.UnknownFormat, LegacyOrderReader.Read("{\"format\":\"v0\"}"u8).ErrorCode);
    }

    [Theory]
    [InlineData("shipments")]
    [InlineData("payments")]
    [InlineData("history")]
    [InlineData("items")]
    public void ANullListItem_IsRefusedByBothTheSchemaAndTheReader_NotReplayed(string list)
    {
        // Found by the hostile-input suite: a null shipment reached the replay and answered 500.
        var node = System.Text.Json.Nodes.JsonNode.Parse(LegacyFileGenerator.Serialize(new LegacyFileGenerator(5, Now).Order("n", "CLOSED", Now.AddDays(-90))))!;
        node[list]!.AsArray()[0] = null;
        var broken = System.Text.Encoding.UTF8.GetBytes(node.ToJsonString());

        Assert.False(Valid(broken));
        var reading = LegacyOrderReader.Read(broken);
        Assert.Equal(LegacyOrderReader.Codes.InvalidRecord, reading.ErrorCode);
        Assert.Contains($"$.{list}[0]", reading.Error, StringComparison.Ordinal);
    }
}
