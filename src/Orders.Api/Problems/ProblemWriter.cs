using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Orders.Api.Http;

namespace Orders.Api.Problems;

/// <summary>Writes problem responses (<c>application/problem+json</c>).</summary>
public static class ProblemWriter
{
    public const string ContentType = "application/problem+json";

    public static async Task WriteAsync(HttpContext http, ProblemType type, string detail, IReadOnlyList<string>? errors = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(type);
        if (http.Response.HasStarted) return;
        http.Response.Clear();
        http.Response.StatusCode = type.Status;
        http.Response.ContentType = ContentType;
        var body = new ProblemDetailsBody(type.TypeUri, type.Title, type.Status, detail,
            http.Request.PathBase.Add(http.Request.Path).ToString(), type.Code, errors ?? []);
        await JsonSerializer.SerializeAsync(http.Response.Body, body, ApiJson.Responses, http.RequestAborted);
    }
}
