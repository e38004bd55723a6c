using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Orders.Api.Http;

namespace Orders.Api.Problems;

/// <summary>Writes problem responses (<c>application/problem+json</c>).</summary>
public static class ProblemWriter
{
    public const string ContentType = "application/problem+json";

    public static Task WriteAsync(HttpContext http, ProblemType type, string detail, IReadOnlyList<string>? errors = null) =>
        WriteAsync(http, new ProblemAnswer(type ?? throw new ArgumentNullException(nameof(type)), detail, errors ?? []));

    public static async Task WriteAsync(HttpContext http, ProblemAnswer answer, IReadOnlyDictionary<string, string>? headers = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(answer);
        if (http.Response.HasStarted) return;
        http.Response.Clear();
        http.Response.StatusCode = answer.Type.Status;
        http.Response.ContentType = ContentType;
        if (answer.RetryAfter is { } wait)
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) http.Response.Headers[name] = value;
        var body = new ProblemDetailsBody(answer.Type.TypeUri, answer.Type.Title, answer.Type.Status, answer.Detail,
            http.Request.PathBase.Add(http.Request.Path).ToString(), answer.Type.Code, answer.Errors);
        await JsonSerializer.SerializeAsync(http.Response.Body, body, ApiJson.Responses, http.RequestAborted);
    }
}
