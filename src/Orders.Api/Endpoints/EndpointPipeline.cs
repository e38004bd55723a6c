using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Orders.Api.Auth;
using Orders.Api.Problems;
using Orders.Application.Access;
using Orders.Domain.Common;
using static Orders.Api.Problems.ProblemTypes.Codes;

namespace Orders.Api.Endpoints;

/// <summary>
/// What every endpoint does around its own work: find the caller (401 without one), and turn whatever ends the
/// request early into a problem response through the one mapping, <see cref="ExceptionProblems"/>: bad input as 4xx
/// with its code, a store that cannot serve as 503 with Retry-After, anything else as a logged 500.
/// </summary>
public sealed partial class EndpointPipeline(IEnumerable<ICallerResolver> resolvers, ILogger<EndpointPipeline> logger)
{
    private readonly ICallerResolver[] _resolvers = [.. resolvers];

    public async Task RunAsync(HttpContext http, Func<Caller, Task> handle)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(handle);
        try
        {
            await handle(Authenticate(http.Request));
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
        }
#pragma warning disable CA1031 // The API's last line: every exception answers a problem (ExceptionProblems); unexpected ones are logged.
        catch (Exception fault)
#pragma warning restore CA1031
        {
            var answer = ExceptionProblems.Map(fault);
            if (answer is null)
            {
                LogUnexpected(logger, fault, http.Request.Method, http.Request.Path);
                answer = ExceptionProblems.MapOrServerError(fault);
            }
            else if (answer.Type.Status >= 500)
            {
                LogUnavailable(logger, http.Request.Method, http.Request.Path, fault.Message);
            }
            await ProblemWriter.WriteAsync(http, answer);
        }
    }

    public Caller Authenticate(HttpRequest request)
    {
        foreach (var resolver in _resolvers)
        {
            var resolution = resolver.Resolve(request);
            if (resolution.IsNone) continue;
            return resolution.Caller ?? throw new ProblemException(InvalidPrincipal, resolution.Refusal!);
        }
        throw new ProblemException(Unauthenticated, "This API needs a signed-in buyer, seller or operator.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answered {Method} {Path} with 503: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string method, string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error answering {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string path);
}
