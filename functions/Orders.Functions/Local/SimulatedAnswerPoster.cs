using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Orders.Application.Integration;
using Orders.Contracts.Integration;

namespace Orders.Functions.Local;

/// <summary>
/// Delivers a simulated domain's answer the way Service Bus would deliver a real one: as a CloudEvent to a function of
/// this app (<see cref="LocalFunctions.ReceiveSimulatedAnswer"/>), so each answer is its own invocation, with its own
/// scope and Durable client, read and schema-checked by the same <see cref="InboundEventReader"/> as a Service Bus
/// message. Only wired when <c>Orders__Domains</c> is Simulated (refused on App Service).
/// </summary>
public sealed class SimulatedAnswerPoster(HttpClient http, Uri answerUrl)
{
    public const string Source = "/orders/local/simulators";

    public async Task<InboundResult> DeliverAsync(InboundEvent inbound)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        var data = JsonSerializer.SerializeToElement(inbound.Data, inbound.Data.GetType(), ContractJson.Options);
        var orderId = data.TryGetProperty("orderId", out var id) ? id.GetString() ?? "" : "";
        var cloudEvent = new CloudEvent(inbound.EventId, Source, inbound.Type, orderId, inbound.Time, data, TraceParent: inbound.TraceParent);
        using var content = new ByteArrayContent(ContractJson.SerializeCloudEvent(cloudEvent));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents+json");
        // HttpRequestException (the host is starting, restarting or gone) and TaskCanceledException (no answer in
        // time) go to the simulator, which redelivers as a broker would.
        using var response = await http.PostAsync(answerUrl, content).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        return response.StatusCode switch
        {
            HttpStatusCode.OK => string.Equals(Outcome(body), nameof(InboundOutcome.Duplicate), StringComparison.Ordinal)
                ? new InboundResult(InboundOutcome.Duplicate) : InboundResult.Handled,
            HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest => InboundResult.Poison($"{(int)response.StatusCode}: {body}"),
            // Anything else (503 while the store is away, 500): not delivered; the simulator redelivers it.
            _ => throw new HttpRequestException($"the app answered {(int)response.StatusCode}: {body}"),
        };
    }

    private static string? Outcome(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("outcome", out var outcome) ? outcome.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
