using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orders.Api.Problems;
using static Orders.Api.Problems.ProblemTypes.Codes;

namespace Orders.Api;

/// <summary>
/// What makes every answer of a host a problem document when it is an error, not only the API's own routes:
/// <list type="bullet">
/// <item><see cref="UseOrdersProblems"/>: a middleware that answers any exception escaping an endpoint through the one
/// mapping (<see cref="ExceptionProblems"/>), and gives a problem body to an error status that has none (the host's own
/// 404, 405, 400, 415 …).</item>
/// <item><see cref="MapOrdersFallback"/>: unknown paths answer 404 <c>request.unknown-route</c>; a known path with another
/// method answers 405 <c>request.method-not-allowed</c> with <c>Allow</c>.</item>
/// </list>
/// The local host uses both. In the function app the Functions host routes requests before our code runs, so its
/// answers to unknown paths are its own (documented in src/Orders.Api/README.md).
/// </summary>
public static partial class OrdersProblemFallbacks
{
    public static IApplicationBuilder UseOrdersProblems(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OrdersProblemFallbacks).FullName!);
        return app.Use(async (http, next) =>
        {
            try
            {
                await next(http);
            }
            catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The host's last line: every exception answers a problem; unexpected ones are logged.
            catch (Exception fault)
#pragma warning restore CA1031
            {
                var answer = ExceptionProblems.Map(fault);
                if (answer is null) LogUnexpected(logger, fault, http.Request.Method, http.Request.Path);
                await ProblemWriter.WriteAsync(http, answer ?? ExceptionProblems.MapOrServerError(fault));
                return;
            }

            var response = http.Response;
            if (!response.HasStarted && response.StatusCode >= 400 && response.ContentType is null && response.ContentLength is null or 0)
                await ProblemWriter.WriteAsync(http, new ProblemAnswer(ForStatus(response.StatusCode), DetailFor(response.StatusCode, http.Request), []));
        });
    }

    /// <summary>Maps the fallback endpoint: any path no route matches (and known paths with another method).</summary>
    public static IEndpointConventionBuilder MapOrdersFallback(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapFallback("{**path}", AnswerUnmatchedAsync);
    }

    /// <summary>The answer to a request no route took: 405 with Allow when its path is known, else 404.</summary>
    public static Task AnswerUnmatchedAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var allowed = AllowedMethods(http.Request.Path.Value ?? "/");
        if (allowed.Count > 0)
        {
            var allow = string.Join(", ", allowed);
            return ProblemWriter.WriteAsync(http,
                new ProblemAnswer(ProblemTypes.For(MethodNotAllowed), $"{http.Request.Method} is not supported here; use {allow}.", []),
                new Dictionary<string, string> { ["Allow"] = allow });
        }
        return ProblemWriter.WriteAsync(http, new ProblemAnswer(ProblemTypes.For(UnknownRoute), DetailFor(404, http.Request), []));
    }

    /// <summary>The methods the API's routes (and the OpenAPI document's path) serve at <paramref name="path"/>.</summary>
    public static IReadOnlyList<string> AllowedMethods(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Trim('/').Split('/');
        var methods = OrdersHttpApi.Routes.Where(r => Matches(r.Template, segments)).Select(r => r.Method).Distinct().ToList();
        if (segments is ["api", "openapi.yaml"]) methods.Add(HttpMethods.Get);
        return methods;
    }

    private static bool Matches(string template, string[] segments)
    {
        var parts = template.Trim('/').Split('/');
        if (parts.Length != segments.Length) return false;
        for (var i = 0; i < parts.Length; i++)
        {
            var isParameter = parts[i].StartsWith('{');
            if (isParameter ? segments[i].Length == 0 : !string.Equals(parts[i], segments[i], StringComparison.OrdinalIgnoreCase)) return false;
        }
        return true;
    }

    private static ProblemType ForStatus(int status) => status switch
    {
        404 => ProblemTypes.For(UnknownRoute),
        405 => ProblemTypes.For(MethodNotAllowed),
        413 => ProblemTypes.For(BodyTooLarge),
        415 => ProblemTypes.For(UnsupportedMediaType),
        >= 500 => ProblemTypes.For(ServerError),
        400 => ProblemTypes.For(MalformedRequest),
        _ => ProblemTypes.For(MalformedRequest) with { Status = status },
    };

    private static string DetailFor(int status, HttpRequest request) => status switch
    {
        404 => $"Nothing is at {request.Path}. The API is under /api (see /api/openapi.yaml).",
        405 => $"{request.Method} is not supported at {request.Path}.",
        _ => $"The request was refused ({status}).",
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error answering {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string path);
}
