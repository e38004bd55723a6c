using Microsoft.AspNetCore.Http;
using Orders.Application.Ports.Outbound;
using Orders.Application.ReadModels;
using Orders.Domain.Common;
using static Orders.Api.Problems.ProblemTypes.Codes;

namespace Orders.Api.Problems;

/// <summary>A problem answer decided from an exception: its type, detail, field errors and, for 503, Retry-After.</summary>
public sealed record ProblemAnswer(ProblemType Type, string Detail, IReadOnlyList<string> Errors, TimeSpan? RetryAfter = null);

/// <summary>
/// The one mapping from exceptions that end a request to problem answers, used by every endpoint (the pipeline), by
/// the host-wide exception handler (routes outside the pipeline, such as the local host's /local ones) and by tests.
/// Bad input is 4xx with its own code; a store or saga engine that cannot serve now is 503 with Retry-After (its own
/// words stay in the log: the detail says only what the caller can do); anything else is not
/// mapped (null) and answers a logged 500 <c>server.error</c>.
/// </summary>
public static class ExceptionProblems
{
    public static ProblemAnswer? Map(Exception exception) => exception switch
    {
        ProblemException problem => new(problem.Type, problem.Message, problem.Errors),
        DomainException invalid => new(ProblemTypes.ForInvalidValue(invalid.Code), invalid.Message, []),
        InvalidContinuationTokenException token => new(ProblemTypes.For(InvalidQuery), token.Message.Split(" (Parameter", 2)[0], ["$.continuationToken: not issued by this service."]),
        StoreUnavailableException { OutcomeUnknown: true } unknown => new(ProblemTypes.For(StoreUnavailable),
            $"The store is unavailable: {unknown.PublicReason}. The change may still be applied: retry after {unknown.RetryAfter.TotalSeconds:0} s with the same Idempotency-Key or If-Match (a repeat is applied at most once), or read the order.",
            [], unknown.RetryAfter),
        StoreUnavailableException unavailable => new(ProblemTypes.For(StoreUnavailable),
            $"The store is unavailable: {unavailable.PublicReason}. Nothing was changed; retry after {unavailable.RetryAfter.TotalSeconds:0} s.", [], unavailable.RetryAfter),
        SagaEngineUnavailableException { ChangeRecorded: true } recorded => new(ProblemTypes.For(SagaEngineUnavailable),
            $"The change was recorded in the order's history, but its saga could not be started: the saga engine did not answer. Retry after {recorded.RetryAfter.TotalSeconds:0} s with the same Idempotency-Key: the change is not recorded twice, and the saga is started.",
            [], recorded.RetryAfter),
        SagaEngineUnavailableException engine => new(ProblemTypes.For(SagaEngineUnavailable),
            $"The saga engine did not answer. Nothing was changed; retry after {engine.RetryAfter.TotalSeconds:0} s.", [], engine.RetryAfter),
        SagasSaturatedException busy => new(ProblemTypes.For(SagasSaturated),
            $"{busy.Message} Nothing was changed; retry after {busy.RetryAfter.TotalSeconds:0} s.", [], busy.RetryAfter),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => new(ProblemTypes.For(BodyTooLarge), "The body is too large.", []),
        BadHttpRequestException bad => new(ProblemTypes.For(MalformedRequest), bad.Message, []),
        _ => null,
    };

    /// <summary>The answer for any exception: <see cref="Map"/>'s, or 500 <c>server.error</c> (the caller logs it).</summary>
    public static ProblemAnswer MapOrServerError(Exception exception) =>
        Map(exception) ?? new(ProblemTypes.For(ServerError), "An unexpected error occurred; it has been logged.", []);
}
