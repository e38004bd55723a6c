using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orders.Api.Http;
using Orders.Api.Problems;
using Orders.Application;
using Orders.Application.Access;
using Orders.Application.Imports;
using Orders.Domain.ValueObjects;
using static Orders.Api.Problems.ProblemTypes.Codes;

namespace Orders.Api.Endpoints;

/// <summary>
/// <c>POST /api/imports/legacy-orders</c>: an operator imports a batch of legacy orders (<c>imports/legacy-order.v1.json</c>)
/// sent as JSON lines (<c>application/x-ndjson</c>) or as a JSON array (<c>application/json</c>). The contract
/// (decision 0015) has two levels:
/// <list type="bullet">
/// <item>the request: a body that is not a readable import at all (wrong caller, media type or charset, too large,
/// an application/json body that is not a well-formed array, no lines) is a 4xx problem and nothing is read;</item>
/// <item>the lines: a readable import is judged line by line. When at least one line is imported or already imported
/// the answer is 200 with one result per line (a refused line is an answer about that line and left no trace); when
/// every line is refused nothing changed, and the answer is a 422 problem <c>import.all-lines-refused</c> that carries
/// the same per-line results as extension members.</item>
/// </list>
/// The body is limited (<see cref="OrdersApiOptions.MaxImportBodyBytes"/>) and read whole before anything is imported;
/// bulk files go through the console (<c>Orders.LocalHost import</c>), which streams.
/// </summary>
public sealed class ImportEndpoints(EndpointPipeline pipeline, IOptions<OrdersApiOptions> options, TimeProvider time)
{
    public const string NdJson = "application/x-ndjson";

    public Task ImportLegacyOrdersAsync(HttpContext http) => pipeline.RunAsync(http, async caller =>
    {
        if (caller.Kind != ActorKind.Operator)
            throw new ProblemException(ApplicationRejections.Codes.Forbidden, "Only operators may import orders.");
        var array = IsMedia(http.Request.ContentType, "application/json");
        if (!array && !IsMedia(http.Request.ContentType, NdJson))
            throw new ProblemException(UnsupportedMediaType, $"Send the orders as {NdJson} (one per line) or as an application/json array, not '{http.Request.ContentType}'.");
        RequireUtf8(http.Request.ContentType!);

        var body = await ReadAsync(http.Request, options.Value.MaxImportBodyBytes);
        using var lines = array ? ArrayToLines(body) : new MemoryStream(body, writable: false);

        var results = new List<ImportLineResult>();
        var request = new RequestContext(caller, time.GetUtcNow(), "http:" + http.TraceIdentifier);
        var summary = await http.RequestServices.GetRequiredService<ImportLegacyOrders>().ImportStreamAsync(lines, request,
            r => { results.Add(r); return ValueTask.CompletedTask; }, cancellationToken: http.RequestAborted);
        if (!summary.IsSuccess) throw ProblemException.From(summary.Rejection!);
        var s = summary.Value!;
        if (s.Lines == 0) throw new ProblemException(ImportEmpty, "The body holds no orders."); // nothing was read, so nothing changed
        if (s.Refused == s.Lines)
        {
            // Nothing was imported and nothing was known: the request changed nothing, so it is answered as a refusal.
            await WriteAllRefusedAsync(http, s, results);
            return;
        }
        await Replies.WriteJsonAsync(http, new ImportReply(s.Lines, s.Imported, s.AlreadyImported, s.Refused, s.RefusedByReason, results));
    });

    /// <summary>The answer: counts, refusals per reason, one result per line in line order.</summary>
    public sealed record ImportReply(long Lines, long Imported, long AlreadyImported, long Refused, IReadOnlyDictionary<string, long> RefusedByReason,
        IReadOnlyList<ImportLineResult> Results);

    /// <summary>The 422 problem when every line was refused: RFC 9457 members, the API's extensions, and the per-line results.</summary>
    public sealed record AllLinesRefusedProblem(string Type, string Title, int Status, string Detail, string Instance, string Code,
        IReadOnlyList<string> Errors, long Lines, long Refused, IReadOnlyDictionary<string, long> RefusedByReason, IReadOnlyList<ImportLineResult> Results);

    private static async Task WriteAllRefusedAsync(HttpContext http, ImportSummary summary, IReadOnlyList<ImportLineResult> results)
    {
        var type = ProblemTypes.For(ImportAllLinesRefused);
        var reasons = string.Join(", ", summary.RefusedByReason.Select(r => $"{r.Key} ×{r.Value}"));
        var problem = new AllLinesRefusedProblem(type.TypeUri, type.Title, type.Status,
            $"All {summary.Lines} line(s) were refused ({reasons}); nothing was imported. Each line's reason is in 'results'.",
            http.Request.PathBase.Add(http.Request.Path).ToString(), type.Code,
            [.. results.Take(20).Select(r => $"line {r.Line}: {r.Reason}")], summary.Lines, summary.Refused, summary.RefusedByReason, results);
        http.Response.StatusCode = type.Status;
        http.Response.ContentType = ProblemWriter.ContentType;
        await JsonSerializer.SerializeAsync(http.Response.Body, problem, ApiJson.Responses, http.RequestAborted);
    }

    /// <summary>Both forms are UTF-8 (JSON lines are JSON texts): another charset label is refused, never decoded.</summary>
    private static void RequireUtf8(string contentType)
    {
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media);
        var charset = media?.Charset.Value?.Trim('"');
        if (charset is not null && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
            throw new ProblemException(UnsupportedMediaType, $"Imports are read as UTF-8 only; send charset=utf-8 (or none), not '{charset}'.");
    }

    /// <summary>A JSON array's elements as JSON lines (each written compactly), so both forms take one path.</summary>
    private static MemoryStream ArrayToLines(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            throw new ProblemException(MalformedJson, "The body is not a well-formed JSON array (send JSON lines to have each line judged on its own).");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                throw new ProblemException(InvalidBody, "An application/json body must be an array of legacy orders.");
            var output = new MemoryStream();
            foreach (var element in document.RootElement.EnumerateArray())
            {
                using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false, SkipValidation = false }))
                    element.WriteTo(writer);
                output.WriteByte((byte)'\n');
            }
            output.Position = 0;
            return output;
        }
    }

    private static async Task<byte[]> ReadAsync(HttpRequest request, int maxBytes)
    {
        if (request.ContentLength > maxBytes) throw TooLarge(maxBytes);
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        while (true)
        {
            var read = await request.Body.ReadAsync(buffer.GetMemory(64 * 1024), request.HttpContext.RequestAborted);
            if (read == 0) return buffer.WrittenSpan.ToArray();
            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes) throw TooLarge(maxBytes);
        }
    }

    private static ProblemException TooLarge(int maxBytes) =>
        new(BodyTooLarge, $"An import request may carry at most {maxBytes} bytes; import larger files with the console ('Orders.LocalHost import <file>').");

    private static bool IsMedia(string? contentType, string media) =>
        contentType is not null
        && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType.Equals(media, StringComparison.OrdinalIgnoreCase);
}
