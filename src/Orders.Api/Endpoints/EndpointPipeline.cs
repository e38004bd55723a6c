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
/// request early into a problem response: a <see cref="ProblemException"/> as it says, an invalid value
/// (<see cref="DomainException"/>) as 400 with its code, anything else as a logged 500.
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
        catch (ProblemException problem)
        {
            await ProblemWriter.WriteAsync(http, problem.Type, problem.Message, problem.Errors);
        }
        catch (DomainException invalid)
        {
            await ProblemWriter.WriteAsync(http, ProblemTypes.ForInvalidValue(invalid.Code), invalid.Message);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
        }
#pragma warning disable CA1031 // The API's last line: an unexpected fault still answers a problem, and is logged.
        catch (Exception fault)
#pragma warning restore CA1031
        {
            LogUnexpected(logger, fault, http.Request.Method, http.Request.Path);
            await ProblemWriter.WriteAsync(http, ProblemTypes.For(ServerError), "An unexpected error occurred; it has been logged.");
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error answering {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string path);
}
