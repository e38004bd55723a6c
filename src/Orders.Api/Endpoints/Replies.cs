using System.Text;
using Microsoft.AspNetCore.Http;
using Orders.Api.Http;
using Orders.Application;
using Orders.Application.UseCases;

namespace Orders.Api.Endpoints;

/// <summary>Successful answers: JSON in the application's shape, with the order's version as the ETag.</summary>
public static class Replies
{
    public const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>A command's answer: exactly the stored receipt bytes (so a replay is byte for byte the first answer).</summary>
    public static Task WriteReceiptAsync(HttpContext http, int status, CommandReply reply)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(reply);
        http.Response.StatusCode = status;
        http.Response.Headers.ETag = RequestHeaders.ETag(reply.Receipt.Version);
        if (reply.Replayed) http.Response.Headers[RequestHeaders.IdempotentReplayed] = "true";
        if (reply.Unchanged) http.Response.Headers[RequestHeaders.OrderUnchanged] = "true";
        return WriteAsync(http, reply.Json);
    }

    public static Task WriteJsonAsync<T>(HttpContext http, T value, long? version = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.StatusCode = StatusCodes.Status200OK;
        if (version is { } v) http.Response.Headers.ETag = RequestHeaders.ETag(v);
        return WriteAsync(http, ApplicationJson.Serialize(value));
    }

    private static async Task WriteAsync(HttpContext http, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        http.Response.ContentType = JsonContentType;
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
    }
}
