using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Orders.Application.Integration;
using Orders.Contracts.Integration;
using Orders.Domain.ValueObjects;
using Orders.Functions.Durable;
using Orders.Functions.Settings;
using Orders.Infrastructure.Simulators;

namespace Orders.Functions.Local;

/// <summary>
/// The local-only functions: the way in for the simulated domains' answers, and the simulators' ledger and failure
/// knobs (the local host serves the same under <c>/local</c>). They are compiled into every build but answer 404
/// unless <c>Orders__Domains</c> is Simulated, which the app refuses at start-up on App Service; so in Azure they can
/// do nothing (decision record 0008).
/// </summary>
public static class LocalFunctions
{
    public const string ReceiveAnswer = "ReceiveSimulatedAnswer";
    public const string Ledger = "GetSimulatorLedger";
    public const string Fail = "FailSimulatedDomain";

    /// <summary>
    /// A simulated domain's answer, as a CloudEvent: read and checked like a Service Bus message, then handed to the
    /// same <see cref="IntegrationEventHandler"/>. 200 with the outcome (Handled, Duplicate); 400 unreadable; 422 poison;
    /// 503 retry (the simulator delivers it again, as a broker would).
    /// </summary>
    [Function(ReceiveAnswer)]
    public static async Task<IActionResult> ReceiveSimulatedAnswer(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = LocalRunSettings.AnswerRoute)] HttpRequest req,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(req);
        var services = req.HttpContext.RequestServices;
        if (services.GetService<SimulatedDomains>() is null) return NotSimulated();
        services.GetRequiredService<InvocationDurableClient>().Use(client);

        using var body = new MemoryStream();
        await req.Body.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
        var read = InboundEventReader.Read(body.ToArray());
        if (!read.IsValid)
            return Problem(StatusCodes.Status400BadRequest, "Unreadable integration event", $"{read.Failure}: {string.Join("; ", read.Errors)}");

        var envelope = read.Envelope!;
        var result = await services.GetRequiredService<IntegrationEventHandler>()
            .HandleAsync(new InboundEvent(envelope.Id, envelope.Type, envelope.Time, read.Event!, envelope.TraceParent), cancellationToken).ConfigureAwait(false);
        return result.Outcome switch
        {
            InboundOutcome.Handled or InboundOutcome.Duplicate or InboundOutcome.Parked => new OkObjectResult(new { outcome = result.Outcome.ToString(), reason = result.Reason }),
            InboundOutcome.Poison => Problem(StatusCodes.Status422UnprocessableEntity, "Integration event refused", result.Reason),
            _ => throw new InvalidOperationException($"Unknown inbound outcome {result.Outcome}."),
        };
    }

    /// <summary>What the simulated domains did for an order (reservations, authorisations, captures, parcels, …).</summary>
    [Function(Ledger)]
    public static IActionResult GetSimulatorLedger(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "local/simulators/{orderId}/ledger")] HttpRequest req, string orderId)
    {
        ArgumentNullException.ThrowIfNull(req);
        return req.HttpContext.RequestServices.GetService<SimulatorLedger>() is { } ledger && req.HttpContext.RequestServices.GetService<SimulatedDomains>() is not null
            ? new OkObjectResult(ledger.For(orderId))
            : NotSimulated();
    }

    /// <summary>Makes a simulated domain fail for one order (<see cref="SimulatedFailure"/>).</summary>
    [Function(Fail)]
    public static IActionResult FailSimulatedDomain(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "local/simulators/{orderId}/fail/{failure}")] HttpRequest req, string orderId, string failure)
    {
        ArgumentNullException.ThrowIfNull(req);
        var services = req.HttpContext.RequestServices;
        if (services.GetService<SimulatedDomains>() is null) return NotSimulated();
        if (!Enum.TryParse<SimulatedFailure>(failure, ignoreCase: true, out var parsed))
            return Problem(StatusCodes.Status400BadRequest, "Unknown simulated failure", $"'{failure}' is not one of {string.Join(", ", Enum.GetNames<SimulatedFailure>())}.");
        services.GetRequiredService<SimulatorKnobs>().Fail(OrderId.From(orderId), parsed);
        return new NoContentResult();
    }

    private static ObjectResult NotSimulated() => Problem(StatusCodes.Status404NotFound, "Not found",
        "The simulated domains are not on in this app (Orders__Domains is not Simulated); these routes exist only on a developer's machine.");

    private static ObjectResult Problem(int status, string title, string? detail) =>
        new(new ProblemDetails { Status = status, Title = title, Detail = detail, Type = "about:blank" })
        {
            StatusCode = status,
            ContentTypes = { "application/problem+json" },
        };
}
